# Checks `jmoq sub --format hex_lines` output against `jmoq pub`'s synthetic frames: every frame is whole and
# uncorrupted (its number is group * FPG + index; byte i from 16 is (number + i) mod 256; SIZE bytes long).
# Prints "frames=N groups=G first_ms=T0 last_ms=T1" and one "group SEQ SENDMS" line per group seen; exits 1 on
# the first bad frame. Variables: FPG (frames per group), SIZE (frame size).
function hexbyte(n) { return sprintf("%02x", n % 256) }
BEGIN { bad = 0 }
NF == 3 {
  seq = $1; idx = $2; hex = $3
  if (length(hex) != 2 * SIZE) { print "bad frame length " length(hex) / 2 " in group " seq " index " idx; bad = 1; exit 1 }
  num = seq * FPG + idx
  if (substr(hex, 17, 16) != sprintf("%016x", num)) { print "bad frame number in group " seq " index " idx ": " substr(hex, 17, 16); bad = 1; exit 1 }
  for (i = 16; i < SIZE; i++) {
    if (substr(hex, 2 * i + 1, 2) != hexbyte(num + i)) { print "corrupt byte " i " in group " seq " index " idx; bad = 1; exit 1 }
  }
  # Send time: nanoseconds-ish since the epoch in the first 8 bytes (ms * 1e6 + sub-ms); keep milliseconds.
  ms = 0
  for (i = 1; i <= 11; i++) { ms = ms * 16 + index("0123456789abcdef", substr(hex, i, 1)) - 1 }
  ms = int(ms * 1048576 / 1000000)   # the top 44 of 64 bits: times 2^20, in units of 1e6 per millisecond
  frames++
  if (!(seq in sent)) { sent[seq] = ms; groups++ }
  if (first == "" || ms < first) first = ms
  if (ms > last) last = ms
  next
}
NF > 0 { print "unexpected line: " $0; bad = 1; exit 1 }
END {
  if (bad) exit 1
  printf "frames=%d groups=%d first_ms=%.0f last_ms=%.0f\n", frames, groups, first, last
  for (s in sent) printf "group %d %.0f\n", s, sent[s]
}
