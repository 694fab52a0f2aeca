/* test_report.c - the report parser and signatures (src/tools/sf_crashlog.c) on
 * captured report texts: our block, a raw ASan report, UBSan, LeakSanitizer,
 * a Go panic, libFuzzer's deadly signal, and text with no finding. */
#include "sf_test.h"

#include "sf_crashlog.h"

static sf_crashlog parse(const char *text)
{
    sf_crashlog r;
    sf_crashlog_parse(text, strlen(text), &r);
    return r;
}

SF_TEST(block_violation)
{
    const char *t =
        "noise\n"
        "SEAMFUZZ-VIOLATION: SF-103 stale value accepted where the contract requires "
        "an error\n"
        "DETAIL: tk_table_get(h = stale 0x100000001) succeeded\n"
        "FUNCTION: tk_table_get\n"
        "OP: 3\n"
        "PROGRAM: (4 ops, spec tk)\n"
        "      0  r0 = tk_table_insert(1)\n"
        " >>   3  tk_table_get(stale(r0))\n"
        "HISTORY r0: created op 0 by tk_table_insert\n"
        "TIMING: op 0 tk_table_insert enter=1ns exit=2ns\n"
        "SEAMFUZZ-JSON: {\"id\":\"SF-103\",\"name\":\"STALE_ACCEPTED\",\"meaning\":\"m\","
        "\"spec\":\"tk\",\"spec_hash\":4265591701,\"op\":3,\"function\":\"tk_table_get\","
        "\"kind\":null,\"detail\":\"d\",\"resources\":[]}\n";
    sf_crashlog r = parse(t);
    SF_ASSERT_EQ_INT(r.found, 1);
    SF_ASSERT_EQ_STR(r.sig, "SF-103:tk_table_get");
    SF_ASSERT_EQ_INT(r.id, 103);
    SF_ASSERT_EQ_INT(r.op, 3);
    SF_ASSERT_EQ_STR(r.name, "STALE_ACCEPTED");
    SF_ASSERT_EQ_STR(r.spec, "tk");
    SF_ASSERT_EQ_INT(r.has_hash, 1);
    SF_ASSERT_EQ_INT((long long)r.spec_hash, 4265591701LL);
    SF_ASSERT_EQ_STR(r.detail, "tk_table_get(h = stale 0x100000001) succeeded");
    SF_ASSERT_EQ_STR(r.kind, ""); /* "kind":null */
    SF_ASSERT_EQ_INT(strncmp(t + r.program_off, "      0  r0 =", 13), 0);
    SF_ASSERT_EQ_INT(r.program_len, strlen("      0  r0 = tk_table_insert(1)\n"
                                           " >>   3  tk_table_get(stale(r0))\n"));
    SF_ASSERT_EQ_INT(strncmp(t + r.history_off, "HISTORY r0:", 11), 0);
    SF_ASSERT_EQ_INT(strncmp(t + r.block_off, "SEAMFUZZ-VIOLATION:", 19), 0);
    SF_ASSERT_EQ_INT(t[r.block_off + r.block_len - 1], '\n');
    SF_ASSERT_EQ_INT(strncmp(t + r.json_off, "{\"id\"", 5), 0);
}

SF_TEST(block_sanitizer)
{
    const char *t =
        "==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x6030 at pc 0x1\n"
        "READ of size 8 at 0x6030 thread T0\n"
        "    #0 0x55 in tk_buf_free /w/tk_lib.c:99:15\n"
        "SUMMARY: AddressSanitizer: heap-use-after-free /w/tk_lib.c:99:15 in tk_buf_free\n"
        "\nSEAMFUZZ-VIOLATION: SF-190 sanitizer report\n"
        "KIND: heap-use-after-free\n"
        "FUNCTION: tk_buf_free\n"
        "OP: 2 (teardown)\n"
        "SEAMFUZZ-JSON: {\"id\":\"SF-190\",\"name\":\"SANITIZER\",\"function\":\"tk_buf_free\"}\n";
    sf_crashlog r = parse(t);
    SF_ASSERT_EQ_STR(r.sig, "SAN:heap-use-after-free:c:tk_buf_free");
    SF_ASSERT_EQ_INT(r.op, 2);
    SF_ASSERT_EQ_STR(r.frame, "tk_buf_free");
    SF_ASSERT_EQ_INT(strncmp(t + r.summary_off, "SUMMARY: AddressSanitizer", 25), 0);
}

SF_TEST(raw_asan_skips_interceptors)
{
    sf_crashlog r = parse("==7==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x1\n"
                          "    #0 0x1 in __interceptor_memcpy (/x+0x1)\n"
                          "    #1 0x2 in bytebridge::table::insert::h0123456789abcdef "
                          "/src/table.rs:10\n"
                          "    #2 0x3 in bb_table_insert /src/lib.rs:3\n");
    SF_ASSERT_EQ_STR(r.sig,
                     "SAN:heap-buffer-overflow:rust:bytebridge::table::insert<bb_table_insert");
    SF_ASSERT_EQ_INT(r.id, 0);
}

SF_TEST(raw_asan_skips_shared_interceptor_bodies)
{
    sf_crashlog r = parse("==7==ERROR: AddressSanitizer: heap-use-after-free on address 0x1\n"
                          "    #0 0x1 in MemcmpInterceptorCommon(void*, int (*)(void const*, void "
                          "const*, unsigned long), void const*, void const*, unsigned long) "
                          "/llvm/compiler-rt/lib/sanitizer_common/"
                          "sanitizer_common_interceptors.inc:813:7\n"
                          "    #1 0x2 in bcmp /llvm/compiler-rt/lib/sanitizer_common/"
                          "sanitizer_common_interceptors.inc:866:10\n"
                          "    #2 0x3 in docidx::stats::count::h0123456789abcdef "
                          "/src/stats.rs:40\n"
                          "    #3 0x4 in di_term_hits /src/lib.rs:9\n");
    SF_ASSERT_EQ_STR(r.sig, "SAN:heap-use-after-free:rust:docidx::stats::count<di_term_hits");
}

SF_TEST(location_skips_rusts_vendored_std_crates)
{
    /* hashbrown is not core/alloc/std by name, but its file is the
     * standard library's: the user's frame below it is the location. */
    sf_crashlog r = parse("==7==ERROR: AddressSanitizer: heap-use-after-free on address 0x1\n"
                          "    #0 0x1 in bcmp (/x+0x1)\n"
                          "    #1 0x2 in hashbrown::map::HashMap<K,V>::get_mut "
                          "/rust/deps/hashbrown-0.17.1/src/map.rs:1424:9\n"
                          "    #2 0x3 in <T as core::cmp::PartialEq>::eq "
                          "/rustc/abc/library/core/src/cmp.rs:5:1\n"
                          "    #3 0x4 in docidx::stats::count /src/stats.rs:80:5\n"
                          "    #4 0x5 in sf_call_di_query /gen/fuzz_docidx.c:9:1\n");
    SF_ASSERT_EQ_STR(r.loc[0].file, "/src/stats.rs");
    SF_ASSERT_EQ_INT(r.loc[0].line, 80);
    SF_ASSERT_EQ_STR(r.sig, "SAN:heap-use-after-free:rust:docidx::stats::count");
}

SF_TEST(no_location_when_seamfuzz_made_the_access)
{
    /* The runtime's check read a message the callee had freed: nothing
     * below the executor is the user's, the standalone driver included. */
    sf_crashlog r = parse("==7==ERROR: AddressSanitizer: heap-use-after-free on address 0x1\n"
                          "    #0 0x1 in strlen (/x+0x1)\n"
                          "    #1 0x2 in sf__check_error_object /src/runtime/sf_contract.c:40:9\n"
                          "    #2 0x3 in sf__exec_call /src/runtime/sf_exec.c:410:9\n"
                          "    #3 0x4 in run_file /harness/engines/sf_standalone.c:50:5\n"
                          "    #4 0x5 in main /harness/engines/sf_standalone.c:90:5\n");
    SF_ASSERT_EQ_STR(r.loc[0].file, "");
    SF_ASSERT_EQ_INT(r.n_frames, 0);
}

SF_TEST(ubsan_kind_has_no_colon)
{
    sf_crashlog r = parse("x.c:3:5: runtime error: shift exponent 40 is too large\n"
                          "SEAMFUZZ-VIOLATION: SF-190 sanitizer report\n"
                          "KIND: undefined-behavior:shift-out-of-bounds\n"
                          "FUNCTION: bb_checksum\n"
                          "SEAMFUZZ-JSON: {\"id\":\"SF-190\"}\n");
    SF_ASSERT_EQ_STR(r.sig, "SAN:undefined-behavior/shift-out-of-bounds:?:bb_checksum");
}

SF_TEST(leak_and_go_panic_and_libfuzzer)
{
    sf_crashlog r = parse("==9==ERROR: LeakSanitizer: detected memory leaks\n"
                          "Direct leak of 16 byte(s) in 1 object(s) allocated from:\n"
                          "    #0 0x1 in malloc (/x+0x1)\n"
                          "    #1 0x2 in BbError::into_raw /src/error.rs:4\n");
    SF_ASSERT_EQ_STR(r.sig, "SAN:memory-leak:rust:BbError::into_raw");
    r = parse("panic: bbgo_checked: tripwire\n\ngoroutine 17 [running]:\n"
              "main.checkData(...)\n\t/src/checked.go:12\n");
    SF_ASSERT_EQ_STR(r.sig, "SAN:go-panic:go:main.checkData");
    r = parse("==3== ERROR: libFuzzer: deadly signal\n"
              "    #0 0x1 in __sanitizer_print_stack_trace (/x+0x1)\n"
              "    #1 0x2 in fuzzer::PrintStackTrace() (/x+0x2)\n"
              "    #2 0x3 in tk_noop /w/tk_lib.c:1\n");
    SF_ASSERT_EQ_STR(r.sig, "SAN:deadly-signal:c:tk_noop");
}

/* An ASan report on one boundary function: the access stack below it, the
 * program above.  frames: the user frames, innermost first. */
static sf_crashlog asan_in(const char *frames, const char *program)
{
    static char t[2048];
    snprintf(t, sizeof t,
             "==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x6030 at pc 0x1\n"
             "READ of size 8 at 0x6030 thread T0\n"
             "    #0 0x50 in __interceptor_memcpy (/x+0x1)\n%s"
             "    #8 0x58 in core::panicking::panic /rustc/x/library/core/src/panicking.rs:1\n"
             "    #9 0x59 in sf_call_bb_buf_write /b/gen/fuzz_bytebridge.c:100:5\n"
             "\nfreed by thread T0 here:\n"
             "    #0 0x60 in free (/x+0x2)\n"
             "    #1 0x61 in bytebridge::buffer::grow /src/buffer.rs:77:9\n"
             "\nSEAMFUZZ-VIOLATION: SF-190 sanitizer report\n"
             "KIND: heap-use-after-free\n"
             "FUNCTION: bb_buf_write\n"
             "PROGRAM: (3 ops, spec bytebridge)\n%s"
             "SEAMFUZZ-JSON: {\"id\":\"SF-190\",\"function\":\"bb_buf_write\"}\n",
             frames, program);
    return parse(t);
}

SF_TEST(signatures_split_defects_in_one_function)
{
    /* Two defects reached through the same boundary function. */
    sf_crashlog a = asan_in("    #1 0x51 in bytebridge::buffer::append /src/buffer.rs:40:9\n"
                            "    #2 0x52 in bb_buf_write /src/lib.rs:90:5\n",
                            "      0  r0 = bb_buf_new(4)\n");
    sf_crashlog b = asan_in("    #1 0x51 in bytebridge::buffer::checksum /src/buffer.rs:60:9\n"
                            "    #2 0x52 in bb_buf_write /src/lib.rs:92:5\n",
                            "      0  r0 = bb_buf_new(4)\n");
    SF_ASSERT_EQ_STR(a.sig, "SAN:heap-use-after-free:rust:bytebridge::buffer::append<bb_buf_write");
    SF_ASSERT(strcmp(a.sig, b.sig) != 0);
}

SF_TEST(signatures_ignore_the_program_and_the_runtime)
{
    /* One defect reached by different programs, with the Rust panic
     * machinery and seamfuzz's stub on the stack: one signature. */
    const char *fr = "    #1 0x51 in bytebridge::buffer::append /src/buffer.rs:40:9\n"
                     "    #2 0x52 in bb_buf_write /src/lib.rs:90:5\n";
    sf_crashlog a = asan_in(fr, "      0  r0 = bb_buf_new(4)\n");
    sf_crashlog b = asan_in(fr, "      0  r0 = bb_buf_new(9)\n      1  bb_buf_len(r0)\n");
    SF_ASSERT_EQ_STR(a.sig, b.sig);
    SF_ASSERT_EQ_STR(a.side, "rust");
    SF_ASSERT_EQ_INT(a.n_frames, 2);
}

SF_TEST(no_finding)
{
    sf_crashlog r = parse("standalone: running x (3 bytes)\nall good\n");
    SF_ASSERT_EQ_INT(r.found, 0);
    SF_ASSERT_EQ_STR(r.sig, "");
    char sig[64];
    sf_crashlog_crash_sig(1, 0, sig, sizeof(sig));
    SF_ASSERT_EQ_STR(sig, "TIMEOUT");
    sf_crashlog_crash_sig(0, 9, sig, sizeof(sig)); /* killed by SIGKILL */
    SF_ASSERT_EQ_STR(sig, "CRASH:signal-9");
    sf_crashlog_crash_sig(0, 3 << 8, sig, sizeof(sig));
    SF_ASSERT_EQ_STR(sig, "CRASH:exit-3");
}

SF_TEST(rule_ids)
{
    char b[64];
    sf_crashlog_rule("SF-103:tk_table_get", b, sizeof(b));
    SF_ASSERT_EQ_STR(b, "SF-103");
    sf_crashlog_rule("SAN:heap-use-after-free:f", b, sizeof(b));
    SF_ASSERT_EQ_STR(b, "SAN:heap-use-after-free");
    sf_crashlog_rule("TIMEOUT", b, sizeof(b));
    SF_ASSERT_EQ_STR(b, "TIMEOUT");
}

SF_TEST_MAIN()
