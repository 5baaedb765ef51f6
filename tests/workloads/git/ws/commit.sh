#!/bin/sh
# git the way an agent uses it, in one run: make a repository, commit twice,
# read the history back.  The author comes from ~/.gitconfig (a fake HOME
# made by the test).
set -eu
git init -q
git add README.md src
git commit -q -m "Add the notes and hello"
echo "A second line." >>README.md
printf 'world\n' >src/world.txt
git add src/world.txt
git commit -q -a -m "Extend the notes, add world"
git log --format='%an <%ae> | %s'
git show --stat --format= HEAD
git status --short
echo "commits: $(git rev-list --count HEAD)"
echo "branch: $(git symbolic-ref --short HEAD)"
