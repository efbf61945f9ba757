# A Python generator, as in Part 1: the body runs up to each `yield` and
# stops there until the next value is asked for.
def countdown(n):
    print(f"start at {n}")
    while n > 0:
        yield n
        n -= 1
    print("done")


for n in countdown(3):
    print(n)
