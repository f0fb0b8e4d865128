//! A real SMTP listener on 127.0.0.1 for tests: speaks enough of RFC 5321 for lettre (EHLO,
//! MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps what it receives. It can be told to refuse
//! recipients or to stall, so delivery failures are tested against a socket, not a mock.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Accept,
    /// Answer every RCPT with 550 (permanent failure).
    Reject,
    /// Answer 451 to DATA (temporary failure).
    Defer,
    /// Accept the connection, then say nothing.
    Stall,
}

#[derive(Clone)]
pub struct SmtpServer {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    mode: Arc<Mutex<Mode>>,
    delay: Arc<Mutex<Duration>>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp");
        let port = listener.local_addr().expect("addr").port();
        let server = SmtpServer {
            port,
            received: Arc::default(),
            mode: Arc::new(Mutex::new(Mode::Accept)),
            delay: Arc::default(),
        };
        let s = server.clone();
        actix_web::rt::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let s = s.clone();
                actix_web::rt::spawn(async move {
                    let _ = s.session(socket).await;
                });
            }
        });
        server
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.mode.lock().expect("mode") = mode;
    }

    /// Waits this long after each message's data before answering 250: a slow relay, so a
    /// sender can be killed while messages are in flight.
    pub fn set_delay(&self, delay: Duration) {
        *self.delay.lock().expect("delay") = delay;
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("received").clone()
    }

    async fn session(&self, socket: tokio::net::TcpStream) -> std::io::Result<()> {
        let mode = *self.mode.lock().expect("mode");
        if mode == Mode::Stall {
            tokio::time::sleep(Duration::from_secs(120)).await;
            return Ok(());
        }
        // Replies go out at once, as from a real relay (no Nagle delay per command).
        socket.set_nodelay(true)?;
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 jury-test ESMTP\r\n").await?;
        let (mut from, mut to) = (String::new(), Vec::new());
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let cmd = line.trim_end().to_string();
            let upper = cmd.to_ascii_uppercase();
            let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                b"250-jury-test\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING\r\n"
            } else if upper.starts_with("MAIL FROM:") {
                from = cmd[10..].trim().to_string();
                b"250 OK\r\n"
            } else if upper.starts_with("RCPT TO:") {
                if mode == Mode::Reject {
                    b"550 5.1.1 No such user here\r\n"
                } else {
                    to.push(cmd[8..].trim().to_string());
                    b"250 OK\r\n"
                }
            } else if upper == "DATA" {
                if mode == Mode::Defer {
                    b"451 4.3.0 Try again later\r\n"
                } else {
                    write
                        .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                        .await?;
                    let mut data = String::new();
                    loop {
                        line.clear();
                        if lines.read_line(&mut line).await? == 0 {
                            return Ok(());
                        }
                        if line == ".\r\n" {
                            break;
                        }
                        data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    }
                    self.received.lock().expect("received").push(Received {
                        from: std::mem::take(&mut from),
                        to: std::mem::take(&mut to),
                        data,
                    });
                    let delay = *self.delay.lock().expect("delay");
                    if !delay.is_zero() {
                        tokio::time::sleep(delay).await;
                    }
                    b"250 OK queued\r\n"
                }
            } else if upper == "QUIT" {
                write.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            } else if upper == "RSET" || upper == "NOOP" {
                b"250 OK\r\n"
            } else {
                b"502 Command not implemented\r\n"
            };
            write.write_all(reply).await?;
        }
    }
}
