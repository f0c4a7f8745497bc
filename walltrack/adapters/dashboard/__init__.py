"""The dashboard's ports over the stores and the tree's control (read model, commands)."""
