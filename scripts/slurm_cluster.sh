#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the Slurm launcher's tests and benchmark:
#   scripts/slurm_cluster.sh up      install if needed (root), configure, start; idempotent
#   scripts/slurm_cluster.sh down    cancel the jobs, then stop the daemons by their PID files
#   scripts/slurm_cluster.sh status  which daemons run, and the node's state
# No systemd: munged, slurmctld and slurmd are started directly and tracked by PID file.
set -euo pipefail

CONF_DIR=/etc/slurm
STATE_DIR=/var/spool/slurmctld
SPOOL_DIR=/var/spool/slurmd
LOG_DIR=/var/log/slurm
MUNGE_PID=/run/munge/munged.pid
CTLD_PID=/run/slurmctld.pid
SLURMD_PID=/run/slurmd.pid

running() { # pid file -> 0 when its process lives
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

install() {
  command -v slurmctld >/dev/null && command -v sbatch >/dev/null && command -v munged >/dev/null &&
    return 0
  [ "$(id -u)" -eq 0 ] || { echo "slurm_cluster: installing Slurm needs root" >&2; exit 1; }
  echo "slurm_cluster: installing munge and Slurm from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends munge slurmctld slurmd slurm-client >/dev/null
}

write_config() {
  # CPUs, sockets, cores and memory as slurmd sees them, else slurmd refuses to register.
  local node host
  node=$(slurmd -C | head -1)
  host=$(hostname -s)
  mkdir -p "$CONF_DIR" "$STATE_DIR" "$SPOOL_DIR" "$LOG_DIR"
  local conf
  conf=$(cat <<CONF
# Written by scripts/slurm_cluster.sh: one node, no accounting, no cgroups.
ClusterName=recsys
SlurmctldHost=$host
AuthType=auth/munge
SlurmUser=root
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
StateSaveLocation=$STATE_DIR
SlurmdSpoolDir=$SPOOL_DIR
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# Without a default memory per CPU a job takes the whole node and jobs run one at a time.
DefMemPerCPU=1024
# Schedule at once, and keep finished jobs visible to scontrol for 10 minutes.
SchedulerParameters=batch_sched_delay=0
MinJobAge=600
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
$node State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
)
  # Drop slurmd -C's UpTime field; it changes at every call.
  conf=$(printf '%s\n' "$conf" | sed -E 's/ UpTime=[^ ]*//')
  if [ ! -f "$CONF_DIR/slurm.conf" ] || [ "$(cat "$CONF_DIR/slurm.conf")" != "$conf" ]; then
    printf '%s\n' "$conf" > "$CONF_DIR/slurm.conf"
    # Daemons already up read the new file on reconfigure.
    if running "$CTLD_PID"; then scontrol reconfigure >/dev/null 2>&1 || true; fi
  fi
}

wait_idle() {
  for _ in $(seq 1 100); do
    local state
    state=$(sinfo -h -o %T 2>/dev/null | head -1 || true)
    case "$state" in
      idle* | mixed* | allocated*) return 0 ;;
      drain* | down*) scontrol update nodename="$(hostname -s)" state=resume >/dev/null 2>&1 || true ;;
    esac
    sleep 0.2
  done
  echo "slurm_cluster: the node did not become idle (see $LOG_DIR)" >&2
  sinfo >&2 || true
  exit 1
}

up() {
  install
  write_config
  # munged: /run/munge must exist, and munged must run as the munge user.
  if ! running "$MUNGE_PID"; then
    mkdir -p /run/munge && chown munge:munge /run/munge && chmod 0755 /run/munge
    [ -s /etc/munge/munge.key ] || { mungekey --create 2>/dev/null || /usr/sbin/create-munge-key; }
    chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
    runuser -u munge -- munged --force
  fi
  running "$CTLD_PID" || slurmctld
  running "$SLURMD_PID" || slurmd
  wait_idle
  echo "slurm_cluster: up ($(sinfo -h -o '%P %D node(s) %c CPUs %T' | head -1))"
}

stop_pid() { # pid file, name
  running "$1" || return 0
  local pid
  pid=$(cat "$1")
  kill "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || { rm -f "$1"; return 0; }; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$1"
  echo "slurm_cluster: $2 ($pid) killed" >&2
}

down() {
  # Stopping slurmd leaves running jobs alive: cancel them first.
  if running "$CTLD_PID"; then
    scancel --user="$(id -un)" >/dev/null 2>&1 || true
    for _ in $(seq 1 50); do
      [ -z "$(squeue -h -t RUNNING,COMPLETING -o %i 2>/dev/null)" ] && break
      sleep 0.1
    done
  fi
  stop_pid "$SLURMD_PID" slurmd
  stop_pid "$CTLD_PID" slurmctld
  stop_pid "$MUNGE_PID" munged
  echo "slurm_cluster: down"
}

status() {
  local name file
  for pair in "munged:$MUNGE_PID" "slurmctld:$CTLD_PID" "slurmd:$SLURMD_PID"; do
    name=${pair%%:*} file=${pair#*:}
    if running "$file"; then echo "$name: running (pid $(cat "$file"))"; else echo "$name: stopped"; fi
  done
  if running "$CTLD_PID"; then sinfo; fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
