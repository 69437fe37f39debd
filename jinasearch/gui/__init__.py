"""The desktop app: thin Qt views and one worker thread each for indexing and search over jinasearch.core."""
