//! 练习 24-1：给 tokio 版的回显服务器加上每个连接的空闲超时。
//!
//! 一个连上以后一声不响的客户端，会让它的任务永远停在 `read_until` 里，
//! 连接（和文件描述符）一直占着。写 `read_line_or_idle`：读一行（最多
//! `MAX_LINE + 1` 字节），但客户端沉默超过 `IDLE` 就放弃，返回 `Ok(false)`，
//! 服务器随后挂断；读到了（哪怕是半行或连接已关）返回 `Ok(true)`。
//! 提示：`tokio::time::timeout(时长, future)`。
//!
//! 检查：cargo xtask exercise idle_timeout

use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedReadHalf;
use tokio::net::{TcpListener, TcpStream};

const IDLE: Duration = Duration::from_millis(300);
const MAX_LINE: u64 = 8192;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(echo(socket));
        }
    });
    let busy = tokio::spawn(busy_client(addr));
    let silent = tokio::spawn(silent_client(addr));
    println!("{}", busy.await.expect("busy client panicked")?);
    println!("{}", silent.await.expect("silent client panicked")?);
    Ok(())
}

async fn echo(socket: TcpStream) -> std::io::Result<()> {
    let (reader, mut writer) = socket.into_split();
    let mut reader = BufReader::new(reader);
    let mut line = Vec::new();
    loop {
        line.clear();
        if !read_line_or_idle(&mut reader, &mut line).await? {
            return Ok(()); // silent for too long: hang up
        }
        if line.last() != Some(&b'\n') {
            if line.len() as u64 > MAX_LINE {
                writer.write_all(b"ERR line too long\n").await?;
            }
            return Ok(());
        }
        writer.write_all(&line).await?;
    }
}

// ---- 练习：从这里开始 ----
async fn read_line_or_idle(
    _reader: &mut BufReader<OwnedReadHalf>,
    _line: &mut Vec<u8>,
) -> std::io::Result<bool> {
    todo!("读一行，但客户端沉默超过 {IDLE:?} 就返回 Ok(false)")
}
// ---- 练习：到这里结束 ----

/// Sends 5 lines 100 ms apart: longer than IDLE in total, never idle.
async fn busy_client(addr: std::net::SocketAddr) -> std::io::Result<String> {
    let (reader, mut writer) = TcpStream::connect(addr).await?.into_split();
    let mut reader = BufReader::new(reader);
    let mut reply = Vec::new();
    for n in 0..5 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let line = format!("line {n}\n");
        writer.write_all(line.as_bytes()).await?;
        reply.clear();
        reader.read_until(b'\n', &mut reply).await?;
        assert_eq!(reply, line.as_bytes());
    }
    Ok("busy client: 5 lines in 0.5s, all echoed".to_string())
}

/// Sends one line, then says nothing and waits for the server to hang up.
async fn silent_client(addr: std::net::SocketAddr) -> std::io::Result<String> {
    let (reader, mut writer) = TcpStream::connect(addr).await?.into_split();
    let mut reader = BufReader::new(reader);
    writer.write_all(b"hello\n").await?;
    let mut reply = Vec::new();
    reader.read_until(b'\n', &mut reply).await?;
    let quiet_since = Instant::now();
    reply.clear();
    // 0 bytes: the server closed the connection.
    let n = reader.read_until(b'\n', &mut reply).await?;
    assert_eq!(n, 0, "the server sent more than the echo");
    let idle = quiet_since.elapsed();
    Ok(format!(
        "silent client: hung up after {idle:.3?} of silence"
    ))
}
