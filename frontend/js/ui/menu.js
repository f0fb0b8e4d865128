// The phone header's menu: below 641 px the navigation, the signed-in name and sign-out fold
// behind one disclosure button (a row of links does not fit a 390-px screen in Korean or
// Chinese). The button carries aria-expanded; Escape closes and returns focus to it; following
// a link or widening the window closes it too. Wider screens never see the button.
const toggle = document.getElementById('nav-toggle');
const bar = toggle.closest('.topbar');

function setOpen(open, { focus = false } = {}) {
  toggle.setAttribute('aria-expanded', String(open));
  bar.classList.toggle('menu-open', open);
  if (!open && focus) toggle.focus();
}

toggle.addEventListener('click', () => setOpen(toggle.getAttribute('aria-expanded') !== 'true'));

bar.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && bar.classList.contains('menu-open')) {
    e.preventDefault();
    setOpen(false, { focus: true });
  }
});

// A followed link (the router keeps the page, so nothing else would close it) or sign-out.
bar.addEventListener('click', (e) => {
  if (e.target.closest('#topnav a, #whoami, #logout')) setOpen(false);
});
window.addEventListener('popstate', () => setOpen(false));
matchMedia('(min-width: 641px)').addEventListener('change', (e) => e.matches && setOpen(false));
