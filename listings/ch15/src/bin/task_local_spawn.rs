//! A `task_local!` value exists only while the future inside its `scope`
//! is being polled. A task spawned from inside the scope is polled by the
//! scheduler on its own, outside that scope, so it cannot read the value.
//! (Python's `create_task` copies the context instead: see
//! `python/contextvars_child.py`.)

tokio::task_local! {
    static REQUEST: &'static str;
}

/// The current task's value, if this future runs inside a scope.
fn read() -> Option<&'static str> {
    REQUEST.try_with(|r| *r).ok()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    REQUEST
        .scope("req-1", async {
            println!("inside the scope: {:?}", read());
            let child = tokio::spawn(async { read() });
            println!("a task spawned there: {:?}", child.await.unwrap());
        })
        .await;
    println!("after the scope: {:?}", read());
}
