/* A JSON tokenizer (RFC 8259 lexical grammar) over a generated 512 KiB document of nested
 * objects, arrays, escaped strings, numbers and literals. */
#include "kernel.h"

#define DOCUMENT_SIZE (512 * 1024)

static char document[DOCUMENT_SIZE + 256];
static size_t document_length;

enum token { T_ERROR, T_BEGIN_OBJECT, T_END_OBJECT, T_BEGIN_ARRAY, T_END_ARRAY, T_COLON, T_COMMA,
             T_STRING, T_NUMBER, T_TRUE, T_FALSE, T_NULL, T_END, TOKEN_KINDS };

static void append(const char *text)
{
    while (*text) document[document_length++] = *text++;
}

static void append_number(uint32_t value)
{
    char digits[10];
    int n = 0;
    do { digits[n++] = (char)('0' + value % 10); value /= 10; } while (value);
    while (n) document[document_length++] = digits[--n];
}

static void append_record(uint32_t *seed, int id)
{
    static const char *const words[] = {"alpha", "beta", "gamma \\\"quoted\\\"", "delta\\n", "caf\\u00e9", "tab\\tbed", "path\\/x"};
    append("{\"id\": ");
    append_number((uint32_t)id);
    append(", \"name\": \"");
    append(words[next_random(seed) % 7]);
    append(" ");
    append(words[next_random(seed) % 7]);
    append("\", \"score\": -");
    append_number(next_random(seed) % 100000);
    append(".");
    append_number(next_random(seed) % 1000);
    append("e-3, \"active\": ");
    append(next_random(seed) & 1 ? "true" : "false");
    append(", \"parent\": null, \"tags\": [");
    int tags = (int)(next_random(seed) % 5);
    for (int t = 0; t < tags; t++) {
        if (t) append(", ");
        append("\"t");
        append_number(next_random(seed) % 50);
        append("\"");
    }
    append("],\n  \"point\": {\"x\": ");
    append_number(next_random(seed) % 4096);
    append(", \"y\": ");
    append_number(next_random(seed) % 4096);
    append("}}");
}

void setup(void)
{
    uint32_t seed = 42;
    document_length = 0;
    append("{\"records\": [\n");
    for (int id = 0; document_length < DOCUMENT_SIZE - 512; id++) {
        if (id) append(",\n");
        append_record(&seed, id);
    }
    append("\n], \"complete\": true}\n");
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* Scans one token at *pos; adds what it read to *hash. */
static enum token next_token(const char *s, size_t length, size_t *pos, uint32_t *hash)
{
    size_t i = *pos;
    while (i < length && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) i++;
    if (i >= length) { *pos = i; return T_END; }
    enum token kind;
    switch (s[i]) {
    case '{': kind = T_BEGIN_OBJECT; i++; break;
    case '}': kind = T_END_OBJECT; i++; break;
    case '[': kind = T_BEGIN_ARRAY; i++; break;
    case ']': kind = T_END_ARRAY; i++; break;
    case ':': kind = T_COLON; i++; break;
    case ',': kind = T_COMMA; i++; break;
    case '"': {
        uint32_t chars = 0;
        i++;
        for (;;) {
            if (i >= length || (uint8_t)s[i] < 0x20) return T_ERROR;
            char c = s[i++];
            if (c == '"') break;
            if (c == '\\') {
                if (i >= length) return T_ERROR;
                char e = s[i++];
                if (e == 'u') {
                    if (i + 4 > length || !is_hex(s[i]) || !is_hex(s[i + 1]) || !is_hex(s[i + 2]) || !is_hex(s[i + 3])) return T_ERROR;
                    i += 4;
                } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
                    return T_ERROR;
                }
            }
            chars++;
            *hash = (*hash ^ (uint8_t)c) * 16777619u;
        }
        *hash += chars;
        kind = T_STRING;
        break;
    }
    case 't':
        if (i + 4 > length || s[i + 1] != 'r' || s[i + 2] != 'u' || s[i + 3] != 'e') return T_ERROR;
        kind = T_TRUE; i += 4; break;
    case 'f':
        if (i + 5 > length || s[i + 1] != 'a' || s[i + 2] != 'l' || s[i + 3] != 's' || s[i + 4] != 'e') return T_ERROR;
        kind = T_FALSE; i += 5; break;
    case 'n':
        if (i + 4 > length || s[i + 1] != 'u' || s[i + 2] != 'l' || s[i + 3] != 'l') return T_ERROR;
        kind = T_NULL; i += 4; break;
    default: {
        int64_t mantissa = 0;
        int negative = 0;
        if (s[i] == '-') { negative = 1; i++; }
        if (i >= length || !is_digit(s[i])) return T_ERROR;
        if (s[i] == '0') i++;
        else while (i < length && is_digit(s[i])) mantissa = mantissa * 10 + (s[i++] - '0');
        if (i < length && s[i] == '.') {
            i++;
            if (i >= length || !is_digit(s[i])) return T_ERROR;
            while (i < length && is_digit(s[i])) mantissa = mantissa * 10 + (s[i++] - '0');
        }
        if (i < length && (s[i] == 'e' || s[i] == 'E')) {
            i++;
            if (i < length && (s[i] == '+' || s[i] == '-')) i++;
            if (i >= length || !is_digit(s[i])) return T_ERROR;
            while (i < length && is_digit(s[i])) i++;
        }
        *hash = *hash * 31 + (uint32_t)(negative ? -mantissa : mantissa);
        kind = T_NUMBER;
    }
    }
    *pos = i;
    return kind;
}

static uint32_t tokenize(const char *s, size_t length, uint32_t counts[TOKEN_KINDS])
{
    uint32_t hash = 2166136261u;
    size_t pos = 0;
    for (int k = 0; k < TOKEN_KINDS; k++) counts[k] = 0;
    for (;;) {
        enum token kind = next_token(s, length, &pos, &hash);
        counts[kind]++;
        if (kind == T_END || kind == T_ERROR) break;
    }
    return hash;
}

/* Four passes, so that one run takes long enough to time well. */
uint32_t run(void)
{
    uint32_t counts[TOKEN_KINDS], hash = 0;
    for (int pass = 0; pass < 4; pass++) {
        hash += tokenize(document, document_length, counts);
        if (counts[T_ERROR]) return 0;
    }
    for (int k = 0; k < TOKEN_KINDS; k++) hash = hash * 31 + counts[k];
    return hash;
}

uint32_t selftest(void)
{
    static const char text[] = "{\"a\": [1, -2.5e3, \"x\\u0041\"], \"b\": null}";
    uint32_t counts[TOKEN_KINDS];
    tokenize(text, sizeof text - 1, counts);
    return counts[T_ERROR] == 0 && counts[T_STRING] == 3 && counts[T_NUMBER] == 2 && counts[T_NULL] == 1
        && counts[T_BEGIN_ARRAY] == 1 && counts[T_COMMA] == 3 && counts[T_COLON] == 2;
}
