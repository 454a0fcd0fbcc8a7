#!/usr/bin/env bash
# The nightly workflow's bookkeeping around scripts/nightly.sh: where the
# previous night is, and the history of the published nights. The history is
# the branch gh-pages (NIGHTLY_BRANCH): every night's run folder (without
# results.bin, which stays in the run's artifact), trend.html and
# index.html, exactly what GitHub Pages serves. Keeping it on a branch makes
# it outlive artifacts (90 days at most) and failed nights, and anyone can
# clone it and run coldbench trend or compare on it.
#
#   scripts/nightly-history.sh previous
#       print the database id of the newest successful run of nightly.yml
#       (empty when there is none), and set the step output run-id; needs gh
#       and GH_TOKEN
#   scripts/nightly-history.sh checkout <dir>
#       check the history branch out into <dir> (a git worktree; a new,
#       empty branch the first night), and, in GitHub Actions, export
#       NIGHTLY_REPORTS=<dir> and tonight's NIGHTLY_ID to the later steps
#   scripts/nightly-history.sh push <dir> <message>
#       commit <dir> and push it to the history branch, then delete the
#       results.bin files there, so <dir> is what the branch holds
set -euo pipefail
cd "$(dirname "$0")/.."

branch=${NIGHTLY_BRANCH:-gh-pages}

say() { echo "nightly-history: $*" >&2; }

usage() {
  sed -n '/^#   scripts/,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

previous() {
  local id
  if ! id=$(gh run list --workflow nightly.yml --status success --limit 1 --json databaseId --jq '.[0].databaseId // empty'); then
    say "could not list the runs of nightly.yml; going on without the last successful night"
    id=""
  fi
  if [ -n "$id" ]; then
    say "previous successful nightly: run $id"
  else
    say "no successful nightly yet"
  fi
  [ -z "${GITHUB_OUTPUT:-}" ] || echo "run-id=$id" >>"$GITHUB_OUTPUT"
  echo "$id"
}

checkout() {
  local dir=$1
  if git ls-remote --exit-code --heads origin "$branch" >/dev/null; then
    say "checking out $branch into $dir"
    git fetch --quiet --no-tags --depth=1 origin "$branch"
    git worktree add --quiet --detach "$dir" FETCH_HEAD
  else
    say "no $branch branch yet: starting the history in $dir"
    git worktree add --quiet --detach "$dir" HEAD
    git -C "$dir" checkout --quiet --orphan "$branch"
    git -C "$dir" rm -r --quiet --force .
  fi
  # The raw results stay in each run's artifact; .nojekyll serves the
  # folders as they are.
  [ -f "$dir/.gitignore" ] || echo 'results.bin' >"$dir/.gitignore"
  touch "$dir/.nojekyll"
  if [ -n "${GITHUB_ENV:-}" ]; then
    {
      echo "NIGHTLY_REPORTS=$dir"
      echo "NIGHTLY_ID=$(date -u +%Y%m%d-%H%M%S)-nightly"
    } >>"$GITHUB_ENV"
  fi
}

push() {
  local dir=$1 message=$2
  git -C "$dir" add -A
  if git -C "$dir" diff --cached --quiet; then
    say "nothing new in $dir"
  else
    git -C "$dir" -c user.name="github-actions[bot]" \
      -c user.email="41898282+github-actions[bot]@users.noreply.github.com" \
      commit --quiet -m "$message"
    git -C "$dir" push --quiet origin "HEAD:refs/heads/$branch"
    say "pushed $dir to $branch: $message"
  fi
  find "$dir" -name results.bin -type f -delete
}

case ${1:-} in
  previous) [ $# = 1 ] || usage; previous ;;
  checkout) [ $# = 2 ] || usage; checkout "$2" ;;
  push) [ $# = 3 ] || usage; push "$2" "$3" ;;
  *) usage ;;
esac
