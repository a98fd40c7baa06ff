namespace ImageHub.Wasm.Tests.Robustness;

/// <summary>
/// Deterministic mutations of a valid module: from raw bit flips and truncations to
/// structure-aware ones (a section's count or size replaced by a huge or overlong
/// LEB128, memory and table limits pushed past the maximum, bytes inserted into a
/// section with every size fixed up, sections dropped, repeated or swapped).
/// The same seed and index always give the same module.
/// </summary>
internal sealed class ModuleMutator(byte[] seed)
{
    private readonly ModuleSections _sections = ModuleSections.Parse(seed);

    private static readonly ulong[] HugeValues = [0xFFFF_FFFF, 0x7FFF_FFFF, 0x1000_0000, 0x10000, 0x10001, 65536 * 2];
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x0B, 0x40, 0x7F, 0x80, 0xFF, 0x6F, 0x70, 0xFC, 0x11, 0x0E, 0x02, 0x03];

    public (byte[] Bytes, string Description) Mutate(Random random)
    {
        switch (random.Next(12))
        {
            case 0:
            {
                var bytes = (byte[])seed.Clone();
                var flips = 1 + random.Next(4);
                var where = new List<int>();
                for (var i = 0; i < flips; i++)
                {
                    var at = random.Next(bytes.Length);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    where.Add(at);
                }
                return (bytes, $"bit flips at {string.Join(",", where)}");
            }
            case 1:
            {
                var bytes = (byte[])seed.Clone();
                var at = random.Next(bytes.Length);
                bytes[at] = InterestingBytes[random.Next(InterestingBytes.Length)];
                return (bytes, $"byte {at} set to 0x{bytes[at]:x2}");
            }
            case 2:
            {
                var length = random.Next(seed.Length);
                return (seed[..length], $"truncated to {length} bytes");
            }
            case 3:
            {
                // A section size written with more bytes than a u32 may take (malformed), or 5 (valid).
                var section = random.Next(_sections.Sections.Count);
                var width = random.Next(2) == 0 ? 5 : 6 + random.Next(5);
                return (_sections.Encode(paddedSection: section, paddedSizeBytes: width), $"size of section #{section} as a {width}-byte LEB128");
            }
            case 4:
            {
                // A section size that does not match its content.
                var sections = _sections.Clone();
                var section = random.Next(sections.Sections.Count);
                var bytes = sections.Encode();
                var delta = random.Next(3) switch { 0 => 1, 1 => -1, _ => 0 };
                var huge = delta == 0;
                var rebuilt = Reencode(sections, section, content => content, sizeOverride: s => huge ? 0xFFFF_FFFF : (ulong)(s + delta));
                return (rebuilt, huge ? $"size of section #{section} set to 0xffffffff" : $"size of section #{section} off by {delta}");
            }
            case 5:
            {
                // A vector count replaced by a huge value: the decoder must not allocate by it.
                var sections = _sections.Clone();
                var candidates = sections.VectorSections().ToArray();
                if (candidates.Length == 0) goto case 0;
                var section = candidates[random.Next(candidates.Length)];
                var value = HugeValues[random.Next(HugeValues.Length)];
                var content = sections.Sections[section].Content;
                if (!Leb128.TryRead(content, 0, out _, out var length)) goto case 0;
                sections.Sections[section] = (sections.Sections[section].Id, [.. Leb128.Encode(value), .. content[length..]]);
                return (sections.Encode(), $"count of section #{section} (id {sections.Sections[section].Id}) set to 0x{value:x}");
            }
            case 6:
            {
                // Any LEB128 inside a section rewritten: overlong, huge, or one more.
                var sections = _sections.Clone();
                var section = random.Next(sections.Sections.Count);
                var content = sections.Sections[section].Content;
                if (content.Length == 0) goto case 0;
                var at = random.Next(content.Length);
                if (!Leb128.TryRead(content, at, out var value, out var length)) goto case 0;
                var (replacement, what) = random.Next(3) switch
                {
                    0 => (Leb128.Encode(value, 5 + random.Next(4)), "overlong"),
                    1 => (Leb128.Encode(HugeValues[random.Next(HugeValues.Length)]), "huge"),
                    _ => (Leb128.Encode(value + 1), "plus one"),
                };
                sections.Sections[section] = (sections.Sections[section].Id, [.. content[..at], .. replacement, .. content[(at + length)..]]);
                return (sections.Encode(), $"LEB128 at byte {at} of section #{section} made {what}");
            }
            case 7:
            {
                // Limits of the first memory or table pushed around the maximum.
                var sections = _sections.Clone();
                var index = sections.Sections.FindIndex(s => s.Id is ModuleSections.MemoryId or ModuleSections.TableId);
                if (index < 0) goto case 5;
                var (id, content) = sections.Sections[index];
                var limitsAt = id == ModuleSections.TableId ? 2 : 1;   // after count (and a table's element type)
                if (content.Length <= limitsAt) goto case 0;
                var flags = (byte)(random.Next(2) == 0 ? 1 : 0);
                var minimum = HugeValues[random.Next(HugeValues.Length)];
                var maximum = random.Next(2) == 0 ? minimum : minimum - 1;
                var rest = SkipLimits(content, limitsAt);
                byte[] limits = flags == 1 ? [flags, .. Leb128.Encode(minimum), .. Leb128.Encode(maximum)] : [flags, .. Leb128.Encode(minimum)];
                sections.Sections[index] = (id, [.. content[..limitsAt], .. limits, .. content[rest..]]);
                return (sections.Encode(), $"limits of section #{index} set to min 0x{minimum:x}{(flags == 1 ? $" max 0x{maximum:x}" : "")}");
            }
            case 8:
            case 9:
            {
                // Bytes inserted into or removed from a section, sizes kept right: reaches the validator.
                var sections = _sections.Clone();
                var section = random.Next(sections.Sections.Count);
                var content = sections.Sections[section].Content;
                var at = random.Next(content.Length + 1);
                byte[] changed;
                string what;
                if (random.Next(2) == 0 || content.Length == 0)
                {
                    var insert = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => InterestingBytes[random.Next(InterestingBytes.Length)]).ToArray();
                    changed = [.. content[..at], .. insert, .. content[at..]];
                    what = $"inserted {Convert.ToHexString(insert)} at byte {at}";
                }
                else
                {
                    var remove = Math.Min(1 + random.Next(3), content.Length - Math.Min(at, content.Length - 1));
                    at = Math.Min(at, content.Length - 1);
                    changed = [.. content[..at], .. content[(at + remove)..]];
                    what = $"removed {remove} byte(s) at byte {at}";
                }
                sections.Sections[section] = (sections.Sections[section].Id, changed);
                return (sections.Encode(), $"section #{section} (id {sections.Sections[section].Id}): {what}");
            }
            case 10:
            {
                // A byte of a section changed while its size stays right.
                var sections = _sections.Clone();
                var section = random.Next(sections.Sections.Count);
                var content = sections.Sections[section].Content;
                if (content.Length == 0) goto case 0;
                var at = random.Next(content.Length);
                content[at] = random.Next(2) == 0 ? InterestingBytes[random.Next(InterestingBytes.Length)] : (byte)random.Next(256);
                return (sections.Encode(), $"section #{section} (id {sections.Sections[section].Id}) byte {at} set to 0x{content[at]:x2}");
            }
            default:
            {
                // Section order: one dropped, repeated, or swapped with its neighbour.
                var sections = _sections.Clone();
                var section = random.Next(sections.Sections.Count);
                string what;
                switch (random.Next(3))
                {
                    case 0:
                        sections.Sections.RemoveAt(section);
                        what = "dropped";
                        break;
                    case 1:
                        sections.Sections.Insert(section, sections.Sections[section]);
                        what = "repeated";
                        break;
                    default:
                        var other = (section + 1) % sections.Sections.Count;
                        (sections.Sections[section], sections.Sections[other]) = (sections.Sections[other], sections.Sections[section]);
                        what = $"swapped with section #{other}";
                        break;
                }
                return (sections.Encode(), $"section #{section} {what}");
            }
        }
    }

    private static byte[] Reencode(ModuleSections sections, int index, Func<byte[], byte[]> content, Func<int, ulong> sizeOverride)
    {
        var output = new List<byte>(sections.Encode()[..8]);
        for (var i = 0; i < sections.Sections.Count; i++)
        {
            var (id, bytes) = sections.Sections[i];
            if (i == index) bytes = content(bytes);
            output.Add(id);
            output.AddRange(Leb128.Encode(i == index ? sizeOverride(bytes.Length) : (ulong)bytes.Length));
            output.AddRange(bytes);
        }
        return output.ToArray();
    }

    private static int SkipLimits(byte[] content, int at)
    {
        var flags = content[at++];
        if (!Leb128.TryRead(content, at, out _, out var length)) return content.Length;
        at += length;
        if ((flags & 1) != 0 && Leb128.TryRead(content, at, out _, out length)) at += length;
        return Math.Min(at, content.Length);
    }
}
