//! Bodies too large or too slow: an oversized chunked body is cut off without a declared length,
//! and a body or headers that trickle in are timed out while the server stays healthy.

use super::*;

/// A raw HTTP/1.1 request whose body is sent in chunks without a declared length, so the
/// server can only find out the size by reading.
fn chunked_request(addr: &str, head: &str, chunks: usize, chunk: &[u8]) -> String {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    for _ in 0..chunks {
        let frame = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
        if s.write_all(&frame).is_err() {
            break; // the server already answered and closed
        }
    }
    let _ = s.write_all(b"0\r\n\r\n");
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).to_string()
}

#[actix_web::test]
async fn oversized_bodies_without_a_declared_length_are_cut_off() {
    let app = TestApp::with_config(|c| c.upload_max_bytes = 64 * 1024).await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;
    let addr = app.base_url.trim_start_matches("http://").to_string();

    // JSON: a 1 MiB company name, four times the 256 KiB limit.
    let head = format!(
        "PATCH /api/v1/applications/{id} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        founder.token
    );
    let a = addr.clone();
    let answer = actix_web::rt::task::spawn_blocking(move || {
        let mut first = br#"{"company_name":""#.to_vec();
        first.resize(16 * 1024, b'a');
        chunked_request(&a, &head, 64, &first)
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("payload_too_large"), "{answer}");

    // Upload: a PDF that never ends, streamed past the 64 KiB limit.
    let (ct, _) = multipart("file", "deck.pdf", "application/pdf", b"");
    let head = format!(
        "POST /api/v1/applications/{id}/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: {ct}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        founder.token
    );
    let a = addr.clone();
    let answer = actix_web::rt::task::spawn_blocking(move || {
        let boundary = ct.split("boundary=").nth(1).unwrap().to_string();
        let mut s = std::net::TcpStream::connect(&a).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(head.as_bytes()).unwrap();
        let part = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"deck.pdf\"\r\n\
             Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
        );
        let mut frames = vec![part.into_bytes()];
        frames.extend(std::iter::repeat_n(vec![b'0'; 8192], 64));
        for f in frames {
            let frame = [format!("{:x}\r\n", f.len()).as_bytes(), &f, b"\r\n"].concat();
            if s.write_all(&frame).is_err() {
                break;
            }
        }
        let _ = s.write_all(b"0\r\n\r\n");
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).to_string()
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    let rows = app
        .db(|c| {
            use diesel::prelude::*;
            use jury::db::schema::documents;
            Ok(documents::table.count().get_result::<i64>(c)?)
        })
        .await;
    assert_eq!(rows, 0);
    let mut files = Vec::new();
    let mut dirs = vec![app.dir.path().join("uploads")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                dirs.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    assert!(files.is_empty(), "no file left behind: {files:?}");
}

/// Sends the head (whole or in part) and then trickles `body` one byte per `every`, and returns
/// what the server said and when it hung up.
fn trickle(addr: &str, head: &str, body: &[u8], every: Duration) -> (String, Duration) {
    let started = Instant::now();
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let mut sent = 0;
    while started.elapsed() < Duration::from_secs(20) {
        if sent < body.len() && s.write_all(&body[sent..=sent]).is_ok() {
            sent += 1;
        }
        let deadline = Instant::now() + every;
        while Instant::now() < deadline {
            match s.read(&mut buf) {
                Ok(0) => {
                    return (
                        String::from_utf8_lossy(&answer).to_string(),
                        started.elapsed(),
                    );
                }
                Ok(n) => answer.extend_from_slice(&buf[..n]),
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(_) => {
                    return (
                        String::from_utf8_lossy(&answer).to_string(),
                        started.elapsed(),
                    );
                }
            }
        }
    }
    (
        String::from_utf8_lossy(&answer).to_string(),
        started.elapsed(),
    )
}

#[actix_web::test]
async fn a_slow_body_or_slow_headers_are_timed_out_and_the_server_stays_healthy() {
    let app = TestApp::with_config(|c| {
        c.body_timeout_secs = 2;
        c.header_timeout_ms = 1000;
    })
    .await;
    let addr = app.base_url.trim_start_matches("http://").to_string();

    // Headers complete, then a login body at one byte every 200 ms (it would take 10 s).
    let body = br#"{"email":"slow@jury.test","password":"a password that takes a while"}"#.to_vec();
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let a = addr.clone();
    let slow = actix_web::rt::task::spawn_blocking(move || {
        trickle(&a, &head, &body, Duration::from_millis(200))
    });

    // Meanwhile everybody else is served at once.
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    assert_eq!(app.get("/healthz").await.status, 200);
    assert!(started.elapsed() < Duration::from_secs(1));

    let (answer, took) = slow.await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(answer.contains("request_timeout"), "{answer}");
    assert!(
        (Duration::from_secs(2)..Duration::from_secs(6)).contains(&took),
        "cut off after the 2 s deadline, took {took:?}"
    );

    // Headers that never finish: the connection is dropped after the 1 s head deadline.
    let a = addr.clone();
    let (_, took) = actix_web::rt::task::spawn_blocking(move || {
        trickle(&a, "GET /healthz HTTP/1.1\r\nHost: x\r\n", b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Duration::from_millis(200))
    })
    .await
    .unwrap();
    assert!(
        took < Duration::from_secs(6),
        "slow head dropped, took {took:?}"
    );

    assert_eq!(app.get("/healthz").await.status, 200);
    assert_eq!(app.get("/readyz").await.status, 200);
}
