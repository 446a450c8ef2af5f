# Shared by the bench/*-vs-*.sh scripts (sourced; they set $work first).
# timed NAME COMMAND...: flushes earlier writes, then appends "wall cpu" to $work/NAME.times, and the runner's
# in-process seconds (its "seconds=…" line) to $work/NAME.inproc.
# Its status is the command's (so `if ! timed …` sees a failed run).
timed() {
  local name="$1" status=0; shift
  sync
  /usr/bin/time -f "%e %U %S" -o "$work/time.out" "$@" > "$work/run.out" || status=$?
  awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$work/time.out" >> "$work/$name.times"
  sed -n 's/^seconds=\([0-9.]*\).*/\1/p' "$work/run.out" >> "$work/$name.inproc"
  return "$status"
}
# median / best: of the numbers on stdin, one per line
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
best() { sort -n | head -1; }
