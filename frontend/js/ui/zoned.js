// Wall-clock times in a named time zone (a contest's deadline is "18:00 in Seoul", whatever the
// organiser's own computer says), converted with Intl only.

function parts(ms, timeZone) {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  });
  return Object.fromEntries(f.formatToParts(new Date(ms)).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
}

/// The zone's offset from UTC at instant `ms`, in milliseconds.
function offset(ms, timeZone) {
  const p = parts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/// An instant (ISO string) as `YYYY-MM-DDTHH:MM` on the wall clock of `timeZone`, for
/// `<input type=datetime-local>`.
export function toZonedInput(iso, timeZone) {
  if (!iso) return '';
  const p = parts(new Date(iso).getTime(), timeZone);
  const two = (n) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}

/// `YYYY-MM-DDTHH:MM` on the wall clock of `timeZone` as an ISO instant (UTC), or null.
export function fromZonedInput(value, timeZone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || '');
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // Twice, so a wall time next to a daylight-saving change lands on the right side of it.
  let ms = wall - offset(wall, timeZone);
  ms = wall - offset(ms, timeZone);
  return new Date(ms).toISOString();
}

/// Every IANA zone the browser knows, the contest's regions first.
export function timeZones() {
  const first = ['Asia/Seoul', 'Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Tokyo', 'Asia/Singapore', 'UTC'];
  let all = [];
  try {
    all = Intl.supportedValuesOf('timeZone');
  } catch {
    all = [];
  }
  return [...first, ...all.filter((z) => !first.includes(z))];
}
