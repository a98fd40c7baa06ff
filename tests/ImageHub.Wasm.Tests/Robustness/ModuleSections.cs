namespace ImageHub.Wasm.Tests.Robustness;

/// <summary>
/// A valid module as its list of top-level sections (id + content), so that mutations can
/// change one section and still encode every size around it correctly, which reaches the
/// decoder's inner checks instead of stopping at the first size mismatch.
/// </summary>
internal sealed class ModuleSections
{
    public const byte CustomId = 0, TypeId = 1, ImportId = 2, FunctionId = 3, TableId = 4, MemoryId = 5,
        GlobalId = 6, ExportId = 7, StartId = 8, ElementId = 9, CodeId = 10, DataId = 11, DataCountId = 12;

    private static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    public List<(byte Id, byte[] Content)> Sections { get; } = [];

    public static ModuleSections Parse(byte[] module)
    {
        if (!module.AsSpan(0, 8).SequenceEqual(Header)) throw new ArgumentException("not a wasm 1.0 binary");
        var result = new ModuleSections();
        var position = 8;
        while (position < module.Length)
        {
            var id = module[position++];
            if (!Leb128.TryRead(module, position, out var size, out var length)) throw new ArgumentException("bad section size");
            position += length;
            result.Sections.Add((id, module.AsSpan(position, (int)size).ToArray()));
            position += (int)size;
        }
        return result;
    }

    /// <summary>Encodes the sections; <paramref name="sizeBytes"/> pads every size LEB to that many bytes.</summary>
    public byte[] Encode(int sizeBytes = 1, int? paddedSection = null, int paddedSizeBytes = 1)
    {
        var output = new List<byte>(Header);
        for (var i = 0; i < Sections.Count; i++)
        {
            var (id, content) = Sections[i];
            output.Add(id);
            output.AddRange(Leb128.Encode((ulong)content.Length, i == paddedSection ? paddedSizeBytes : sizeBytes));
            output.AddRange(content);
        }
        return output.ToArray();
    }

    public ModuleSections Clone()
    {
        var copy = new ModuleSections();
        copy.Sections.AddRange(Sections.Select(s => (s.Id, (byte[])s.Content.Clone())));
        return copy;
    }

    /// <summary>Indexes of sections whose content starts with a vector count (all but custom and start).</summary>
    public IEnumerable<int> VectorSections() =>
        Enumerable.Range(0, Sections.Count).Where(i => Sections[i].Id is not (CustomId or StartId));
}
