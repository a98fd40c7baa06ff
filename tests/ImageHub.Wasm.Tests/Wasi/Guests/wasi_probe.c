/*
 * A WASI command with no libc: it declares the WASI imports itself and answers one
 * question per run, chosen by argv[1]. The WASI tests run it on our engine.
 *   hello ARGS...   prints "hello", then each ARG on a line; one line to stderr
 *   env NAME        prints NAME's value, or "(unset)"
 *   exit CODE       calls proc_exit(CODE)
 *   clock           prints the realtime clock in seconds, and whether monotonic time moves forward
 *   random          prints two 16-byte random_get results in hex
 *   errno           prints the errno of calls made with bad descriptors and bad pointers
 *   trap            executes unreachable
 * Build: clang-14 --target=wasm32 -O2 -nostdlib -Wl,--no-entry -o wasi_probe.wasm wasi_probe.c
 *        (-DWASI_MODULE='"wasi_unstable"' for the older module name)
 */
typedef __UINT8_TYPE__ uint8_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __UINT64_TYPE__ uint64_t;
typedef __INT32_TYPE__ int32_t;
typedef __INT64_TYPE__ int64_t;

#ifndef WASI_MODULE
#define WASI_MODULE "wasi_snapshot_preview1"
#endif
#define WASI(name) __attribute__((import_module(WASI_MODULE), import_name(name)))

typedef struct { const void *buf; uint32_t len; } ciovec;

WASI("fd_write") int32_t fd_write(int32_t fd, const ciovec *iovs, int32_t count, uint32_t *written);
WASI("fd_fdstat_get") int32_t fd_fdstat_get(int32_t fd, void *stat);
WASI("args_sizes_get") int32_t args_sizes_get(uint32_t *count, uint32_t *size);
WASI("args_get") int32_t args_get(char **argv, char *buffer);
WASI("environ_sizes_get") int32_t environ_sizes_get(uint32_t *count, uint32_t *size);
WASI("environ_get") int32_t environ_get(char **environ, char *buffer);
WASI("clock_time_get") int32_t clock_time_get(int32_t id, int64_t precision, uint64_t *time);
WASI("random_get") int32_t random_get(void *buffer, uint32_t length);
WASI("path_unlink_file") int32_t path_unlink_file(int32_t fd, const char *path, uint32_t length);
WASI("proc_exit") _Noreturn void proc_exit(int32_t code);

/* An address far past the end of this module's memory. */
#define BAD_POINTER ((void *)0xFFFFFF00u)

static char *argv[32], argv_buffer[4096];
static char *environ[32], environ_buffer[4096];

static uint32_t length(const char *s)
{
    uint32_t n = 0;
    while (s[n]) n++;
    return n;
}

static int equal(const char *a, const char *b)
{
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

static void write_to(int32_t fd, const char *text)
{
    ciovec pieces[2] = {{text, length(text)}, {"\n", 1}};
    uint32_t written;
    fd_write(fd, pieces, 2, &written);
}

static void print(const char *text) { write_to(1, text); }

static const char *number(uint64_t value)
{
    static char digits[24];
    int at = 23;
    digits[at] = 0;
    do { digits[--at] = (char)('0' + value % 10); value /= 10; } while (value);
    return digits + at;
}

static void print_labelled(const char *label, uint64_t value)
{
    char line[64];
    uint32_t n = 0;
    for (const char *s = label; *s; s++) line[n++] = *s;
    line[n++] = ' ';
    for (const char *s = number(value); *s; s++) line[n++] = *s;
    line[n] = 0;
    print(line);
}

static void print_hex(const uint8_t *bytes, uint32_t count)
{
    char line[80];
    for (uint32_t i = 0; i < count; i++) {
        line[2 * i] = "0123456789abcdef"[bytes[i] >> 4];
        line[2 * i + 1] = "0123456789abcdef"[bytes[i] & 15];
    }
    line[2 * count] = 0;
    print(line);
}

static uint32_t parse(const char *s)
{
    uint32_t value = 0;
    while (*s >= '0' && *s <= '9') value = value * 10 + (uint32_t)(*s++ - '0');
    return value;
}

static void probe_errno(void)
{
    uint32_t written, count, size;
    ciovec good = {"x", 1}, bad = {BAD_POINTER, 16};
    uint8_t stat[24];
    print_labelled("fd_write_unknown_fd", (uint32_t)fd_write(7, &good, 1, &written));
    print_labelled("fd_write_stdin", (uint32_t)fd_write(0, &good, 1, &written));
    print_labelled("fd_write_bad_buffer", (uint32_t)fd_write(1, &bad, 1, &written));
    print_labelled("fd_write_bad_iovecs", (uint32_t)fd_write(1, BAD_POINTER, 1, &written));
    print_labelled("fd_write_bad_result", (uint32_t)fd_write(1, &good, 1, BAD_POINTER));
    print_labelled("fdstat_unknown_fd", (uint32_t)fd_fdstat_get(99, stat));
    print_labelled("args_sizes_bad_pointer", (uint32_t)args_sizes_get(&count, BAD_POINTER));
    print_labelled("args_get_bad_pointer", (uint32_t)args_get(BAD_POINTER, argv_buffer));
    print_labelled("clock_unknown_id", (uint32_t)clock_time_get(99, 0, (uint64_t *)stat));
    print_labelled("random_bad_pointer", (uint32_t)random_get(BAD_POINTER, 64));
    print_labelled("path_unlink_file", (uint32_t)path_unlink_file(3, "x", 1));
    (void)size;
}

__attribute__((export_name("_start"))) void start(void)
{
    uint32_t argc, size, envc;
    if (args_sizes_get(&argc, &size) || argc > 32 || size > sizeof argv_buffer || args_get(argv, argv_buffer)) proc_exit(70);
    if (environ_sizes_get(&envc, &size) || envc > 32 || size > sizeof environ_buffer || environ_get(environ, environ_buffer)) proc_exit(71);
    if (argc < 2) { write_to(2, "usage: wasi_probe COMMAND [ARGS...]"); proc_exit(64); }

    const char *command = argv[1];
    if (equal(command, "hello")) {
        print("hello");
        for (uint32_t i = 2; i < argc; i++) print(argv[i]);
        write_to(2, "to stderr");
    } else if (equal(command, "env") && argc == 3) {
        uint32_t name_length = length(argv[2]);
        const char *value = "(unset)";
        for (uint32_t i = 0; i < envc; i++) {
            const char *entry = environ[i];
            uint32_t n = 0;
            while (n < name_length && entry[n] == argv[2][n]) n++;
            if (n == name_length && entry[n] == '=') { value = entry + n + 1; break; }
        }
        print(value);
    } else if (equal(command, "exit") && argc == 3) {
        proc_exit((int32_t)parse(argv[2]));
    } else if (equal(command, "clock")) {
        uint64_t realtime, first, second;
        if (clock_time_get(0, 1, &realtime) || clock_time_get(1, 1, &first) || clock_time_get(1, 1, &second)) proc_exit(72);
        print_labelled("realtime_seconds", realtime / 1000000000u);
        print(second >= first ? "monotonic forward" : "monotonic backward");
    } else if (equal(command, "random")) {
        uint8_t a[16], b[16];
        if (random_get(a, 16) || random_get(b, 16)) proc_exit(73);
        print_hex(a, 16);
        print_hex(b, 16);
    } else if (equal(command, "errno")) {
        probe_errno();
    } else if (equal(command, "trap")) {
        __builtin_trap();
    } else {
        write_to(2, "unknown command");
        proc_exit(64);
    }
}
