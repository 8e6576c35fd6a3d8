# exinfo.awk: where each exercise is in exercises/CH/*.c and what it asks.
#
#   awk -v names=" f g " -f tools/exinfo.awk exercises/CH/*.c
#       one line per exercise found: name, file, line of its definition, and its
#       goal (the EXERCISE paragraph of the comment above it), tab-separated
#   awk -v names=" f " -v mode=hint -f tools/exinfo.awk exercises/CH/*.c
#       the comment above f without its comment marks, then f's signature
#
# names lists the exercise functions (tools/exercise.awk mode=list on the
# solutions), space-separated with a space at each end. Run it with LC_ALL=C:
# the text is passed through as bytes.
BEGIN { if (mode == "") mode = "index" }

# The comment block that ends just above a definition is that function's.
/^\/\*/ { n = 0; in_block = 1 }
in_block {
    block[++n] = $0
    if ($0 ~ /\*\//) { in_block = 0; block_end = FNR; block_file = FILENAME }
    next
}

/^[A-Za-z_][A-Za-z0-9_ \t\*]*[ \t\*]([A-Za-z_][A-Za-z0-9_]*)\(/ {
    line = $0
    sub(/\(.*/, "", line)
    k = split(line, parts, /[ \t\*]+/)
    fn = parts[k]
    if (index(names, " " fn " ") == 0 || (fn in seen)) next
    seen[fn] = 1
    has_block = (block_file == FILENAME && block_end == FNR - 1)
    if (mode == "index") {
        print fn "\t" FILENAME "\t" FNR "\t" (has_block ? goal() : "")
    } else {
        if (has_block) { for (i = 1; i <= n; i++) { s = bare(block[i]); if (s != "" || i < n) print s }; print "" }
        signature = 1
    }
}
signature { print; if ($0 ~ /\)/) exit }

# One comment line without its marks: "/* x", " * x", " */" -> "x".
function bare(s) {
    sub(/[ \t]*\*\/[ \t]*$/, "", s)
    sub(/^\/\* ?/, "", s); sub(/^ \* ?/, "", s); sub(/^ \*$/, "", s)
    return s
}

# The goal: the paragraph that starts with "EXERCISE", joined into one line
# (the block's first paragraph if it has no such word).
function goal(   i, s, out, started) {
    out = ""; started = 0
    for (i = 1; i <= n; i++) {
        s = bare(block[i])
        if (!started && (s ~ /EXERCISE/ || i == n)) { started = 1; sub(/.*EXERCISE/, "EXERCISE", s) }
        if (!started) continue
        if (s ~ /^[ \t]*$/) break
        sub(/^[ \t]+/, "", s)
        out = out (out == "" ? "" : " ") s
        if (block[i] ~ /\*\//) break
    }
    if (out == "") { out = bare(block[1]) }
    return out
}
