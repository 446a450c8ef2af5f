#!/usr/bin/env bash
# udpcast's own ceiling on this machine: the real udp-sender and N real udp-receivers, nothing of ours, on the same kind of
# virtual classroom as og-lab's (a bridge in a namespace of its own, one namespace per host, tbf on both ends of every
# link, a 224.0.0.0/4 route, no default route). The sender sends a file of IMAGE_MIB random MiB with the flags our
# UdpSenderActor passes; each receiver writes what it gets into a file in its namespace's tmpfs-backed dir and md5sums it
# (the work a computer does on the cache path). Time: sender start → last receiver's MD5, against the same limit as
# bench/deploy-vs-limit.sh's multicast (MulticastWire: 1456-byte blocks + 58 header bytes per frame, over the link).
# This is the anchor our multicast deploy is compared with: time(ours) / time(udpcast alone) on the same machine.
#   COUNTS="1 4 8 16" IMAGE_MIB=100 LINK_MBIT=200 [SENDER_ARGS="--default-slice-size 1024"] bench/udpcast-ceiling.sh
# Needs root, iproute2, udpcast. Every address is inside namespaces this script makes and removes.
set -euo pipefail
COUNTS=${COUNTS:-"1 4 8 16"}
IMAGE_MIB=${IMAGE_MIB:-100}
LINK_MBIT=${LINK_MBIT:-200}
SENDER_ARGS=${SENDER_ARGS:-}   # extra udp-sender options to try (e.g. "--default-slice-size 1024")
[ "$(id -u)" -eq 0 ] || { echo "udpcast-ceiling: needs root (network namespaces)." >&2; exit 1; }
command -v udp-sender >/dev/null || { echo "udpcast-ceiling: udp-sender is not installed (scripts/bootstrap.sh installs udpcast)." >&2; exit 1; }
prefix="ogu$$-"
work=$(mktemp -d /tmp/og-udpcast-ceiling.XXXXXX)
cleanup() {
  for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix" || true); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

burst=$(( LINK_MBIT * 1000000 / 8 / 250 )); [ "$burst" -ge 131072 ] || burst=131072
shape() { ip netns exec "$1" tc qdisc replace dev "$2" root tbf rate "${LINK_MBIT}mbit" burst "$burst" latency 100ms; }
host() { # host NAME IP
  local ns="$prefix$1" side="v$$-$1"
  ip netns add "$ns"; ip -n "$ns" link set lo up
  ip -n "$prefix"br link add "${side:0:15}" type veth peer name eth0 netns "$ns"
  ip -n "$prefix"br link set "${side:0:15}" master br0; ip -n "$prefix"br link set "${side:0:15}" up
  ip -n "$ns" addr add "$2/24" dev eth0; ip -n "$ns" link set eth0 up
  ip -n "$ns" route add 224.0.0.0/4 dev eth0
  shape "$ns" eth0; shape "$prefix"br "${side:0:15}"
}

head -c $((IMAGE_MIB << 20)) /dev/urandom > "$work/image"
bytes=$(stat -c %s "$work/image")
limit=$(python3 -c "import math; print(math.ceil($bytes/1456)*1514*8/($LINK_MBIT*1e6))")
printf '%-4s %12s %9s %9s %8s %8s\n' N image-bytes limit-s udpcast-s ratio t/t1
first=""
for n in $COUNTS; do
  ip netns add "$prefix"br; ip -n "$prefix"br link set lo up
  ip -n "$prefix"br link add br0 type bridge; ip -n "$prefix"br link set br0 up
  host srv 172.31.7.1
  for i in $(seq 1 "$n"); do host "pc$i" "172.31.7.$((10 + i))"; done
  pids=()
  for i in $(seq 1 "$n"); do
    ip netns exec "$prefix"pc$i sh -c "udp-receiver --nokbd --portbase 9000 --mcast-rdv-address 239.194.7.1 --interface eth0 --ttl 1 \
      --start-timeout 60 --receive-timeout 15 --rcvbuf 8388608 --file '$work/r$i' 2>/dev/null && md5sum '$work/r$i' > '$work/r$i.md5'" &
    pids+=($!)
  done
  sleep 0.5
  start=$(date +%s.%N)
  ip netns exec "$prefix"srv udp-sender --nokbd --portbase 9000 --mcast-rdv-address 239.194.7.1 --mcast-data-address 239.194.7.1 \
    --interface eth0 --ttl 1 --min-receivers "$n" --max-wait 5 --retries-until-drop 10 --full-duplex --rexmit-hello-interval 100 $SENDER_ARGS \
    --file "$work/image" 2>"$work/sender.log"
  for p in "${pids[@]}"; do wait "$p"; done
  end=$(date +%s.%N)
  want=$(md5sum < "$work/image" | cut -d' ' -f1)
  for i in $(seq 1 "$n"); do
    got=$(cut -d' ' -f1 < "$work/r$i.md5")
    [ "$got" = "$want" ] || { echo "udpcast-ceiling: receiver $i of $n got MD5 $got, not $want." >&2; exit 1; }
    rm -f "$work/r$i" "$work/r$i.md5"
  done
  secs=$(python3 -c "print($end - $start)")
  [ -n "$first" ] || first=$secs
  python3 -c "print(f'{$n:<4} {$bytes:>12,} {$limit:>9.2f} {$secs:>9.2f} {$secs/$limit:>8.3f} {$secs/$first:>8.2f}')"
  for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix" || true); do ip netns del "$ns"; done
done
echo "(every link $LINK_MBIT Mbit/s, tbf both ways; ratio = udpcast's time / the wire's limit; load average $(cut -d' ' -f1-3 /proc/loadavg))"
