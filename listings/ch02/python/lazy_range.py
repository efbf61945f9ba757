# ANCHOR: lazy_range
def lazy_range(up_to):
    """Generator to return the sequence of integers from 0 to up_to, exclusive."""
    index = 0
    while index < up_to:
        yield index
        index += 1
# ANCHOR_END: lazy_range


iterator = lazy_range(5)
print(next(iterator))  # 0
print(next(iterator))  # 1
print(list(iterator))  # [2, 3, 4]
