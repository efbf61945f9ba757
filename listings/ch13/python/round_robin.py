def task(name):
    for n in range(1, 4):
        print(name, n)
        yield              # 切换点：状态留在生成器里，控制权交回 run


def run(*tasks):           # 最简单的轮转：谁让出，谁排到队尾
    queue = list(tasks)
    while queue:
        t = queue.pop(0)
        try:
            next(t)
            queue.append(t)
        except StopIteration:
            pass


run(task('A'), task('B'))
