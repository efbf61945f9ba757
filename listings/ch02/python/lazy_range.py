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

# The sizes the chapter quotes (Python 3.11.7: 200 B and 264 B): a generator
# object is small, and summing a million numbers through it allocates next
# to nothing.
import sys
import tracemalloc
print(f'sys.getsizeof(lazy_range(5)) = {sys.getsizeof(lazy_range(5))}B')
tracemalloc.start()
before = tracemalloc.get_traced_memory()[0]
total = sum(lazy_range(1_000_000))
peak = tracemalloc.get_traced_memory()[1] - before
print(f'sum(lazy_range(1_000_000)) = {total}, peak {peak}B')
