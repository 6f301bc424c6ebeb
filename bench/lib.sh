# Shared by the bench scripts (sourced): start a server that prints "listening on
# http://127.0.0.1:<port>", and read a process's CPU ticks. Expects $work (a temporary directory).

start_server() { # name command... ; sets PORT and PID
  local log="$work/$1.log"; shift
  "$@" > "$log" 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do
    PORT=$(grep -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
    [ -n "$PORT" ] && return 0
    sleep 0.1
  done
  echo "server $1 did not start"; cat "$log"; exit 1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
