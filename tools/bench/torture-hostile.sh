# The hostile-input section of tools/bench/torture.sh (sourced by it; uses its helpers). Every case
# is a correct round trip or a clear error, and nothing may be written outside a restore target.
# The cases run in a repository of their own ($h/repo); crafted and damaged ones in copies of it.

h="$work/h"

# h_backup NAME: backs up $h/src/NAME into the current repository; sets H_ID, WHY (warnings too).
h_backup() {
    local name="$1" warnings
    WHY=""; H_ID=""
    st "h-backup-$name" backup --json "$h/src/$name"
    if [ "$RC" != 0 ] && [ "$RC" != 3 ]; then WHY="backup exit $RC: $(first_line "$LOG")"; return; fi
    H_ID="$(json_field "$LOG.out" snapshot)"
    warnings="$(json_field "$LOG.out" warnings)"
    if [ "${warnings:-0}" != 0 ]; then
        WHY="backup left out $warnings entries: $(grep -m1 '^warning' "$LOG.err" | cut -c1-120 | tr '|' '/')"
    fi
}
# h_restore NAME [TARGET]: restores NAME's snapshot into $h/t/NAME/t (or TARGET) and compares it with
# the manifest of its source; WHY also when anything appeared beside the target.
h_restore() {
    local name="$1" target="${2:-$h/t/$1/t}"
    mkdir -p "$(dirname "$target")"
    st "h-restore-$name" restore "$H_ID:$h/src/$name" --target "$target"
    compare_restored "$h/$name.jsonl" "$target" ""
    outside_target "$target" || WHY="${WHY:+$WHY; }$OUTSIDE"
}
# outside_target TARGET: the target's parent folder holds nothing but the target.
outside_target() {
    local extra
    extra="$(ls -A "$(dirname "$1")" | { grep -vx "$(basename "$1")" || true; } | head -n 3 | tr '\n' ' ')"
    OUTSIDE="written outside the target: $extra"
    [ -z "$extra" ]
}
# h_roundtrip ROW NAME: backup (every entry saved) and restore (identical) as two points of ROW.
h_roundtrip() {
    local rowid="$1" name="$2"
    tree manifest "$h/src/$name" "$h/$name.jsonl"
    h_backup "$name"
    verdict "$rowid" "${WHY:-ok}"
    if [ -z "$H_ID" ]; then fail "$rowid" "no snapshot to restore"; return; fi
    H_IDS[$name]="$H_ID"
    h_restore "$name"
    verdict "$rowid" "${WHY:-ok}"
}
# h_ls ROW NAME: `strata ls --json` lists every entry below the folder.
h_ls() {
    local rowid="$1" name="$2" want got
    st "h-ls-$name" ls --json "${H_IDS[$name]}" "$h/src/$name"
    want="$(( $(wc -l <"$h/$name.jsonl") - 1 ))"
    got="$(grep -c '"path"' "$LOG.out" || true)"
    if [ "$RC" != 0 ]; then fail "$rowid" "ls exit $RC: $(first_line "$LOG")"
    elif [ "$got" -lt "$want" ]; then fail "$rowid" "ls listed $got lines for $want entries"
    else pass "$rowid"; fi
}
# h_mount_check ROW NAME: the folder seen through the mount equals the source (names as bytes,
# contents, metadata); the mount must be up at $h/mnt.
h_mount_check() {
    local rowid="$1" name="$2" dir out
    dir="$h/mnt/ids/${H_IDS[$name]:0:8}"
    if [ ! -d "$dir" ]; then fail "$rowid" "mount: ids/${H_IDS[$name]:0:8} missing"; return; fi
    dir="$(readlink -f "$dir")"
    tree manifest "$dir" "$h/mounted.jsonl" 2>"$h/mount-manifest.err" || { fail "$rowid" "mount: $(head -n1 "$h/mount-manifest.err")"; return; }
    if out="$("$PY" "$here/torture_tree.py" compare "$h/$name.jsonl" "$h/mounted.jsonl" 2>&1 >/dev/null)"; then
        pass "$rowid"
    else
        fail "$rowid" "mount: $(head -n 2 <<<"$out" | tr '\n' ' ' | cut -c1-160 | tr '|' '/')"
    fi
}

# h_hostile_cmd ROW NAME ARGS...: a command on crafted or damaged data must succeed or fail clearly.
h_hostile_cmd() {
    local rowid="$1" name="$2"; shift 2
    st "$name" "$@"
    if ok_or_clear "$RC" "$LOG"; then pass "$rowid"; else fail "$rowid" "\`${*:1:2}\`: $WHY"; fi
}

h_copy_repo() { # DEST: a copy of the hostile repository, and a fresh cache for it
    rm -rf "$1" "$1-cache"; cp -a "$h/repo" "$1"; use_repo "$1" "$1-cache"
}

hostile_section() {
    declare -gA H_IDS=()
    local rowid k why rc before total
    mkdir -p "$h/src" "$h/t"
    use_repo "$h/repo" "$h/cache"
    st h-init init
    [ "$RC" = 0 ] || { not_run h-bytes "init of the hostile repository failed"; return; }

    row h-bytes "Names not UTF-8: backed up, restored, listed, mounted"
    tree names "$h/src/bytes" --kind bytes
    h_roundtrip h-bytes bytes
    row h-control "Names with newlines and control characters"
    tree names "$h/src/control" --kind control
    h_roundtrip h-control control
    row h-long "255-byte names"
    tree names "$h/src/long" --kind long
    h_roundtrip h-long long

    row h-path "4,000-byte paths"
    tree longpath "$h/src/path" --bytes 4000 >/dev/null
    h_roundtrip h-path path
    if [ -n "${H_IDS[path]:-}" ]; then
        # Restored under a longer target, the deepest entries pass PATH_MAX: they alone may fail.
        local deep="$h/t/path-deep/$(printf 'p%.0s' $(seq 1 250))/t" skip="$h/path-skip.jsonl"
        "$PY" -c 'import json,sys,os
t=len(os.fsencode(sys.argv[2]))
for l in open(sys.argv[1]):
    p=json.loads(l)["p"]
    if p != "." and t + 1 + len(os.fsencode(p)) >= 4095: print(json.dumps(p))' "$h/path.jsonl" "$deep" >"$skip"
        H_ID="${H_IDS[path]}"
        mkdir -p "$(dirname "$deep")"
        st h-restore-path-deep restore "$H_ID:$h/src/path" --target "$deep"
        rc="$RC"
        why=""
        compare_restored "$h/path.jsonl" "$deep" "" "$skip"
        [ -z "$DIFF_WHY" ] || why="entries within PATH_MAX: $DIFF_WHY"
        if [ "$rc" != 0 ] && ! clear_error "$rc" "$LOG" 5; then why="${why:+$why; }$WHY"; fi
        outside_target "$deep" || why="${why:+$why; }$OUTSIDE"
        verdict h-path "${why:-ok}"
        note h-path "restore under a target $(( ${#deep} )) bytes long: exit $rc, $(wc -l <"$skip") entries past PATH_MAX"
    fi

    row h-wide "$(printf "%'d" "$wide_files") files in one folder"
    tree widedir "$h/src/wide" --count "$wide_files"
    h_roundtrip h-wide wide
    note h-wide "backup $(awk -v s="$(grep -o '"seconds":[0-9.]*' "$logs"/*-h-backup-wide.out | tail -n1 | cut -d: -f2)" 'BEGIN { printf "%.1f", s }') s"
    [ -z "${H_IDS[wide]:-}" ] || h_ls h-wide wide

    # Listing and mounting of the odd names.
    for k in bytes control long; do [ -z "${H_IDS[$k]:-}" ] || h_ls "h-$k" "$k"; done
    mkdir -p "$h/mnt"; mounts+=("$h/mnt")
    st h-mount mount --daemon --log "$logs/h-mount.log" "$h/mnt"
    if [ "$RC" = 0 ] && mountpoint -q "$h/mnt"; then
        for k in bytes control long wide; do
            if [ -n "${H_IDS[$k]:-}" ] && { [ "$ci" = 0 ] || [ "$k" = bytes ]; }; then h_mount_check "h-$k" "$k"; fi
        done
        st h-umount umount "$h/mnt"
        if mountpoint -q "$h/mnt"; then fusermount -uz "$h/mnt"; fi
    else
        for k in bytes control long wide; do fail "h-$k" "mount --daemon exit $RC: $(first_line "$LOG")"; done
    fi

    row h-churn "Files growing and shrinking while they are read"
    mkdir -p "$h/src/churn"
    head -c $(( ci == 1 ? 32 << 20 : 64 << 20 )) /dev/urandom >"$h/src/churn/grows.bin"
    head -c $(( ci == 1 ? 64 << 20 : 128 << 20 )) /dev/urandom >"$h/src/churn/shrinks.bin"
    tree churn "$h/src/churn/grows.bin" --mode grow & bg_pids+=($!); local g=$!
    tree churn "$h/src/churn/shrinks.bin" --mode shrink & bg_pids+=($!); local s=$!
    sleep 0.3
    ST_TIMEOUT=300 st h-backup-churn backup --json "$h/src/churn"
    kill -KILL "$g" "$s" 2>/dev/null || true; wait "$g" "$s" 2>/dev/null || true; reaped "$g"; reaped "$s"
    why=""
    H_ID="$(json_field "$LOG.out" snapshot)"
    if [ "$RC" != 0 ] && [ "$RC" != 3 ]; then why="backup exit $RC: $(first_line "$LOG")"
    elif [ -z "$H_ID" ]; then why="backup exit $RC without a snapshot"
    elif [ "$RC" = 3 ] && [ "$(json_field "$LOG.out" changedWhileRead)$(json_field "$LOG.out" warnings)" = 00 ]; then
        why="backup exit 3 (incomplete) without a warning or a file marked changed"
    else
        note h-churn "backup exit $RC in $SECS s, $(json_field "$LOG.out" changedWhileRead) files marked changed while read"
        st h-restore-churn restore "$H_ID:$h/src/churn" --target "$h/t/churn/t"
        [ "$RC" = 0 ] || why="restore exit $RC: $(first_line "$LOG")"
        outside_target "$h/t/churn/t" || why="${why:+$why; }$OUTSIDE"
        rm -rf "$h/t/churn"
        st h-check-churn check
        [ "$RC" = 0 ] || why="${why:+$why; }check exit $RC: $(first_line "$LOG")"
    fi
    verdict h-churn "${why:-ok}"
    rm -rf "$h/src/churn"

    # A full disk: the repository on a small tmpfs, then a restore target on one.
    row h-full-backup "Full disk during backup (repository on a small tmpfs)"
    row h-full-restore "Full disk during restore (target on a small tmpfs)"
    local small=$(( ci == 1 ? 24 : 40 )) nbig=$(( ci == 1 ? 6 : 12 )) i
    mkdir -p "$h/src/big" "$h/small" "$h/small-t"
    for i in $(seq 1 "$nbig"); do head -c $(( 8 << 20 )) /dev/urandom >"$h/src/big/part-$i.bin"; done
    tree manifest "$h/src/big" "$h/big.jsonl"
    mounts+=("$h/small" "$h/small-t")
    if mount -t tmpfs -o "size=${small}m" tmpfs "$h/small"; then
        use_repo "$h/small/repo" "$h/small-cache"
        st h-full-init init
        st h-full-backup backup "$h/src/big"
        why=""
        clear_error "$RC" "$LOG" || why="backup onto a full disk: $WHY"
        note h-full-backup "$(first_line "$LOG")"
        st h-full-check check --read-data
        [ "$RC" = 0 ] || why="${why:+$why; }check afterwards exit $RC: $(first_line "$LOG")"
        mount -o remount,size=$(( small * 4 ))m "$h/small"
        st h-full-backup-again backup "$h/src/big"
        [ "$RC" = 0 ] || why="${why:+$why; }backup after space was freed exit $RC: $(first_line "$LOG")"
        verdict h-full-backup "${why:-ok}"
        umount "$h/small"
    else
        not_run h-full-backup "mount -t tmpfs failed"
    fi
    use_repo "$h/repo" "$h/cache"
    h_backup big
    H_IDS[big]="$H_ID"
    if [ -n "$H_ID" ] && mount -t tmpfs -o "size=${small}m" tmpfs "$h/small-t"; then
        st h-full-restore restore "$H_ID:$h/src/big" --target "$h/small-t/t"
        why=""
        clear_error "$RC" "$LOG" 5 || why="restore onto a full disk: $WHY"
        note h-full-restore "$(first_line "$LOG")"
        mount -o remount,size=$(( small * 4 ))m "$h/small-t"
        st h-full-restore-again restore "$H_ID:$h/src/big" --target "$h/small-t/t"
        compare_restored "$h/big.jsonl" "$h/small-t/t" ""
        [ -z "$WHY" ] || why="${why:+$why; }resumed restore: $WHY"
        verdict h-full-restore "${why:-ok}"
        umount "$h/small-t"
    else
        not_run h-full-restore "no snapshot of the big folder, or mount -t tmpfs failed"
    fi

    # A crafted repository: trees and records Strata's own code would never write.
    row h-dotdot "Crafted tree entry \`..\`"
    row h-absurd "Crafted absurd counts and sizes"
    row h-record "Snapshot record with missing fields"
    h_copy_repo "$h/craft"
    local kinds="huge-count huge-size huge-refs huge-name" id
    [ "$ci" = 0 ] || kinds="huge-count huge-size"
    for k in dotdot $kinds; do
        rowid=h-absurd; [ "$k" != dotdot ] || rowid=h-dotdot
        if ! id="$(craft craft "$k" 2>"$logs/craft-$k.err")"; then
            not_run "$rowid" "TortureCraft craft $k failed: $(head -n1 "$logs/craft-$k.err")"; continue
        fi
        h_hostile_cmd "$rowid" "h-ls-$k" ls "$id"
        mkdir -p "$h/t/$k"
        h_hostile_cmd "$rowid" "h-restore-$k" restore "$id" --target "$h/t/$k/t"
        if ! outside_target "$h/t/$k/t"; then fail "$rowid" "$k: $OUTSIDE"; fi
        if [ -n "$(find "$work" -name escaped-by-torture -not -path "$h/t/$k/t/*" -print -quit)" ]; then fail "$rowid" "$k: a file escaped the target"; fi
    done
    note h-absurd "$kinds"
    h_copy_repo "$h/record"
    if id="$(craft craft no-fields 2>"$logs/craft-no-fields.err")"; then
        h_hostile_cmd h-record h-record-snapshots snapshots
        h_hostile_cmd h-record h-record-restore restore "$id" --target "$h/t/record/t"
        if [ "$ci" = 0 ]; then
            h_hostile_cmd h-record h-record-ls ls "$id"
            h_hostile_cmd h-record h-record-check check
        fi
        st h-record-other ls "${H_IDS[control]:-latest}"
        note h-record "another snapshot's ls: exit $RC"
    else
        not_run h-record "TortureCraft craft no-fields failed: $(head -n1 "$logs/craft-no-fields.err")"
    fi
    use_repo "$h/repo" "$h/cache"

    # Key files: one asking for 4 GiB x 1000 passes, one cut in half. Not "wrong password" (11).
    row h-key-cost "Key file asking for 4 GiB of Argon2 memory, 1,000 passes"
    row h-key-cut "Truncated key file"
    local kdir
    for k in cost cut; do
        kdir="$h/key-$k"; rm -rf "$kdir"; mkdir -p "$kdir/data"
        cp -a "$h/repo/config" "$h/repo/keys" "$h/repo/snapshots" "$kdir/"
        if [ "$k" = cost ]; then damage expensive-key "$kdir"; else damage truncate-key "$kdir"; fi
        use_repo "$kdir" "$kdir-cache"
        ST_TIMEOUT=$(( ci == 1 ? 10 : 30 )) st "h-key-$k" snapshots
        if clear_error "$RC" "$LOG" && [ "$RC" != 11 ]; then pass "h-key-$k"
        else fail "h-key-$k" "${WHY:-exit 11 (wrong password) for a damaged key file: $(first_line "$LOG")}"; fi
        note "h-key-$k" "exit $RC in $SECS s"
    done
    use_repo "$h/repo" "$h/cache"

    # Packs whose trailer states a table length they do not have; the index cache is rebuilt.
    row h-pack-length "Pack trailer lying about the table length"
    local hows="huge past-end short"
    [ "$ci" = 0 ] || hows="huge"
    for k in $hows; do
        h_copy_repo "$h/lie-$k"
        damage lying-pack "$h/lie-$k" --how "$k" --seed "$seed" >"$logs/lying-pack-$k.json"
        ST_TIMEOUT=120 h_hostile_cmd h-pack-length "h-lie-$k-snapshots" snapshots
        ST_TIMEOUT=120 h_hostile_cmd h-pack-length "h-lie-$k-check" check --read-data
        mkdir -p "$h/t/lie-$k"
        ST_TIMEOUT=120 h_hostile_cmd h-pack-length "h-lie-$k-restore" restore "${H_IDS[big]:-latest}:$h/src/big" --target "$h/t/lie-$k/t"
        outside_target "$h/t/lie-$k/t" || fail h-pack-length "$k: $OUTSIDE"
        rm -rf "$h/lie-$k" "$h/lie-$k-cache" "$h/t/lie-$k"
    done
    note h-pack-length "stated lengths: $hows"
    use_repo "$repo" "$cache"
}
