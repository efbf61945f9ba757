def A():
    print('1')
    print('2')
    yield          # 在这里被“中断”，转去执行 B
    print('3')


def B():
    print('x')
    print('y')
    yield
    print('z')


tasks = [A(), B()]
while tasks:                   # 轮流推进，直到都结束
    t = tasks.pop(0)
    try:
        next(t)
        tasks.append(t)
    except StopIteration:
        pass
