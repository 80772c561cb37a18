#!/bin/sh
# Greets whoever runs it, or the name given.
echo "Hello, ${1:-world}, from alice's NUR repository!"
