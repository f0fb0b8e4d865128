//! A deliberately small HTTP/1.1 keep-alive client and a duration-bound load driver.
//!
//! The client writes one request, reads one response (Content-Length or chunked) and keeps
//! the connection; it sends `Accept-Encoding: gzip` like a browser. The driver runs every
//! connection as a task on one current-thread runtime, so the load generator takes at most one
//! of the machine's cores.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct Request {
    pub method: &'static str,
    pub path: String,
    pub token: Option<Arc<str>>,
    pub body: Option<String>,
    /// The status that counts as success.
    pub expect: u16,
    /// Another status that counts as success (0: none), e.g. 304 for a revalidation.
    pub also: u16,
    /// Sent as If-None-Match: the ETag of the copy the client holds.
    pub if_none_match: Option<Arc<str>>,
}

impl Request {
    pub fn get(path: String, token: Option<Arc<str>>) -> Request {
        Request {
            method: "GET",
            path,
            token,
            body: None,
            expect: 200,
            also: 0,
            if_none_match: None,
        }
    }

    pub fn json(method: &'static str, path: String, token: Arc<str>, body: String) -> Request {
        Request {
            method,
            path,
            token: Some(token),
            body: Some(body),
            expect: 200,
            also: 0,
            if_none_match: None,
        }
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    out: Vec<u8>,
}

impl Conn {
    pub async fn open(addr: &str) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            buf: Vec::with_capacity(16 << 10),
            out: Vec::with_capacity(1 << 10),
        })
    }

    pub async fn send(
        &mut self,
        req: &Request,
        extra: &[(&str, &str)],
    ) -> std::io::Result<Response> {
        use std::io::Write;
        self.out.clear();
        write!(
            self.out,
            "{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n",
            req.method, req.path
        )?;
        if let Some(t) = &req.token {
            write!(self.out, "Authorization: Bearer {t}\r\n")?;
        }
        if let Some(tag) = &req.if_none_match {
            write!(self.out, "If-None-Match: {tag}\r\n")?;
        }
        for (k, v) in extra {
            write!(self.out, "{k}: {v}\r\n")?;
        }
        match &req.body {
            Some(b) => write!(
                self.out,
                "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{b}",
                b.len()
            )?,
            None => self.out.extend_from_slice(b"\r\n"),
        }
        self.stream.write_all(&self.out).await?;
        self.read_response().await
    }

    async fn fill(&mut self) -> std::io::Result<()> {
        let mut chunk = [0u8; 16 << 10];
        let n = self.stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    async fn read_response(&mut self) -> std::io::Result<Response> {
        let head_end = loop {
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i;
            }
            self.fill().await?;
        };
        let head = String::from_utf8_lossy(&self.buf[..head_end]).into_owned();
        self.buf.drain(..head_end + 4);
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("status line"))?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let value = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        let body = if status == 304 || status == 204 {
            Vec::new()
        } else if let Some(len) = value("content-length") {
            let len: usize = len.parse().map_err(|_| bad("content-length"))?;
            while self.buf.len() < len {
                self.fill().await?;
            }
            self.buf.drain(..len).collect()
        } else if value("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            self.chunked().await?
        } else {
            Vec::new()
        };
        Ok(Response {
            status,
            headers,
            body,
        })
    }

    async fn chunked(&mut self) -> std::io::Result<Vec<u8>> {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(i) = find(&self.buf, b"\r\n") {
                    break i;
                }
                self.fill().await?;
            };
            let size_text = String::from_utf8_lossy(&self.buf[..line_end]).into_owned();
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| bad("chunk size"))?;
            self.buf.drain(..line_end + 2);
            while self.buf.len() < size + 2 {
                self.fill().await?;
            }
            body.extend(self.buf.drain(..size));
            self.buf.drain(..2);
            if size == 0 {
                return Ok(body);
            }
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn bad(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, format!("bad {what}"))
}

/// What one scenario produced.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub requests: usize,
    pub errors: usize,
    pub secs: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Statuses of the failed requests, with counts (0 = transport error).
    pub failures: Vec<(u16, usize)>,
    /// Every request's latency in microseconds, sorted (kept so rounds can be merged).
    latencies_us: Vec<u32>,
}

impl Outcome {
    pub fn per_sec(&self) -> f64 {
        self.requests as f64 / self.secs.max(1e-9)
    }

    /// From every request's latency (µs) and the failed requests' statuses.
    fn from_samples(mut lat: Vec<u32>, mut failures: Vec<u16>, secs: f64) -> Outcome {
        lat.sort_unstable();
        let pct = |p: f64| {
            lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
                .map_or(0.0, |&us| f64::from(us) / 1000.0)
        };
        failures.sort_unstable();
        let mut grouped: Vec<(u16, usize)> = Vec::new();
        for s in &failures {
            match grouped.last_mut() {
                Some((k, n)) if k == s => *n += 1,
                _ => grouped.push((*s, 1)),
            }
        }
        Outcome {
            requests: lat.len(),
            errors: failures.len(),
            secs,
            p50_ms: pct(0.50),
            p99_ms: pct(0.99),
            max_ms: lat.last().map_or(0.0, |&us| f64::from(us) / 1000.0),
            failures: grouped,
            latencies_us: lat,
        }
    }

    /// Several rounds of one scenario as one: requests over the summed time, percentiles over
    /// every request of every round.
    pub fn merge(rounds: Vec<Outcome>) -> Outcome {
        let secs = rounds.iter().map(|r| r.secs).sum();
        let mut lat = Vec::new();
        let mut failures = Vec::new();
        for r in rounds {
            lat.extend(r.latencies_us);
            for (status, n) in r.failures {
                failures.extend(std::iter::repeat_n(status, n));
            }
        }
        Outcome::from_samples(lat, failures, secs)
    }
}

/// Generates connection `c`'s `n`-th request.
pub type Gen = Arc<dyn Fn(usize, u64) -> Request + Send + Sync>;
/// Told about every successful response (connection, sequence, request, body).
pub type OnOk = Arc<dyn Fn(usize, u64, &Request, &Response) + Send + Sync>;

/// Runs `connections` keep-alive connections against `addr` for `duration`, each sending the
/// next request as soon as the previous answer is in.
pub async fn drive(
    addr: &str,
    connections: usize,
    duration: Duration,
    think: Option<Duration>,
    make: Gen,
    on_ok: Option<OnOk>,
) -> Outcome {
    let mut conns = Vec::with_capacity(connections);
    for _ in 0..connections {
        conns.push(Conn::open(addr).await.expect("connect"));
    }
    let started = Instant::now();
    let deadline = started + duration;
    let tasks: Vec<_> = conns
        .into_iter()
        .enumerate()
        .map(|(c, mut conn)| {
            let (make, on_ok, addr) = (make.clone(), on_ok.clone(), addr.to_string());
            tokio::task::spawn_local(async move {
                let mut lat: Vec<u32> = Vec::with_capacity(1 << 14);
                let mut failures: Vec<u16> = Vec::new();
                let mut n = 0u64;
                while Instant::now() < deadline {
                    let req = make(c, n);
                    let t = Instant::now();
                    let res = conn.send(&req, &[]).await;
                    lat.push(t.elapsed().as_micros().min(u32::MAX as u128) as u32);
                    match res {
                        Ok(r) if r.status == req.expect || r.status == req.also => {
                            if let Some(f) = &on_ok {
                                f(c, n, &req, &r);
                            }
                        }
                        Ok(r) => failures.push(r.status),
                        Err(_) => {
                            failures.push(0);
                            match Conn::open(&addr).await {
                                Ok(fresh) => conn = fresh,
                                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                            }
                        }
                    }
                    n += 1;
                    if let Some(pause) = think {
                        tokio::time::sleep(pause).await;
                    }
                }
                (lat, failures)
            })
        })
        .collect();
    let mut lat = Vec::new();
    let mut failures = Vec::new();
    for t in tasks {
        let (l, f) = t.await.expect("connection task");
        lat.extend(l);
        failures.extend(f);
    }
    Outcome::from_samples(lat, failures, started.elapsed().as_secs_f64())
}
