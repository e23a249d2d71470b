#!/usr/bin/env python3
"""Top frames of a JFR recording's execution samples, within a time window.
usage: jfr-top-frames.py file.jfr END_HH:MM:SS SECONDS [N]  (samples in [END-SECONDS, END])"""
import collections, os, re, subprocess, sys
jfr, end, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
n = int(sys.argv[4]) if len(sys.argv) > 4 else 25
JFR = os.environ.get('JFR', 'jfr')  # a JDK 17+ jfr; Temurin 25's reads Java 17 recordings
out = subprocess.run([JFR, 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '64', jfr],
                     capture_output=True, text=True).stdout
def t(s):
    h, m, rest = s.split(':'); return int(h) * 3600 + int(m) * 60 + float(rest)
e = t(end); s0 = e - secs
top = collections.Counter(); incl = collections.Counter(); threads = collections.Counter(); total = 0
for ev in out.split('jdk.ExecutionSample')[1:]:
    m = re.search(r'startTime = (\d\d:\d\d:\d\d\.\d+)', ev)
    if not m or not (s0 <= t(m.group(1)) <= e):
        continue
    frames = re.findall(r'^\s+([\w.$<>/]+\(.*?\))\s+line:', ev, re.M)
    if not frames:
        continue
    th = re.search(r'sampledThread = "([^"]+)"', ev)
    name = re.sub(r'\d+', 'N', th.group(1)) if th else '?'
    total += 1
    threads[name] += 1
    top[re.sub(r'\(.*', '', frames[0])] += 1
    for f in set(re.sub(r'\(.*', '', f) for f in frames):
        incl[f] += 1
print(f'samples in window: {total}')
print('\n| % samples (self) | top frame |\n|---:|---|')
for f, c in top.most_common(n):
    print(f'| {100*c/total:.1f} | `{f}` |')
print('\n| % samples (total) | method on the stack (dev.livecounter, io.netty, io.micronaut) |\n|---:|---|')
k = 0
for f, c in incl.most_common():
    if f.startswith(('dev.livecounter', 'io.micronaut', 'io.netty.handler', 'io.netty.channel.AbstractChannelHandlerContext.write', 'io.netty.channel.nio', 'io.netty.channel.epoll')):
        print(f'| {100*c/total:.1f} | `{f}` |'); k += 1
        if k >= n: break
print('\n| % samples | thread |\n|---:|---|')
for th, c in threads.most_common(8):
    print(f'| {100*c/total:.1f} | {th} |')
