"""The Qt-free engine: scan -> extract -> chunk -> embed -> store -> search."""
