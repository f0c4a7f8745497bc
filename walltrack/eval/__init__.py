"""`walltrack eval`: the intelligence measured against the simulator's ground truth."""
