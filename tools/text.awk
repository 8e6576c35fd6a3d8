# text.awk: fitting UTF-8 text to a terminal, for the student tools' awk
# programs (awk -f tools/text.awk -f ..., run with LC_ALL=C so that awk sees
# bytes whatever its flavour). A character is one byte that is not a UTF-8
# continuation byte (0x80-0xBF); every character counts as one column.

# The number of characters of s.
function u_width(s,   i, n) {
    n = 0
    for (i = 1; i <= length(s); i++) if (substr(s, i, 1) !~ /[\200-\277]/) n++
    return n
}

# s cut to at most w characters, never inside one, ending "..." when cut.
function u_cut(s, w,   i, n) {
    if (u_width(s) <= w) return s
    n = 0
    for (i = 1; i <= length(s); i++)
        if (substr(s, i, 1) !~ /[\200-\277]/ && ++n > w - 3) break
    return substr(s, 1, i - 1) "..."
}

# s followed by spaces up to w characters.
function u_pad(s, w,   n) {
    n = w - u_width(s)
    return n > 0 ? s sprintf("%" n "s", "") : s
}

# s broken at spaces into lines of at most w characters, each line starting
# with the string ind; the lines are joined with newlines.
function u_wrap(s, w, ind,   k, i, words, out, cur) {
    k = split(s, words, " ")
    out = ""; cur = ""
    for (i = 1; i <= k; i++) {
        if (cur != "" && u_width(ind cur " " words[i]) > w) { out = out ind cur "\n"; cur = "" }
        cur = cur (cur == "" ? "" : " ") words[i]
    }
    return out ind cur
}

# A failure message made to fit w characters. When it is too long and has a
# hint ("... Hint: ..."), the hint is what is kept: it says what to fix, the
# numbers before it only that something is wrong.
function u_fit(msg, w,   h) {
    if (u_width(msg) <= w) return msg
    h = index(msg, " Hint: ")
    if (h) return u_cut(substr(msg, h + 7), w)
    return u_cut(msg, w)
}
