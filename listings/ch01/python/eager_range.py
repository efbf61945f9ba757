# ANCHOR: eager_range
def eager_range(up_to):
    """Create a list of integers, from 0 to up_to, exclusive."""
    sequence = []
    index = 0
    while index < up_to:
        sequence.append(index)
        index += 1
    return sequence
# ANCHOR_END: eager_range


print(eager_range(5))

# ANCHOR: tracemalloc
import tracemalloc
tracemalloc.start()
seq = eager_range(1_000_000)
print(tracemalloc.get_traced_memory())  # (40440448, 40440480)
# ANCHOR_END: tracemalloc
