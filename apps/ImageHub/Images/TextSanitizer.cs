using System.Globalization;
using System.Text;

namespace ImageHub.Web.Images;

/// <summary>Turns user-supplied text into something safe to store and show, and into file names.</summary>
public static class TextSanitizer
{
    /// <summary>One line of printable text: control and format characters (bidi overrides and the like)
    /// removed, white space collapsed, at most <paramref name="maxLength"/> characters.</summary>
    public static string SingleLine(string? text, int maxLength)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(Math.Min(text.Length, maxLength * 2));
        var pendingSpace = false;
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (Rune.IsWhiteSpace(rune) || category is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
                continue;
            if (pendingSpace) sb.Append(' ');
            pendingSpace = false;
            if (sb.Length + rune.Utf16SequenceLength > maxLength) break;
            sb.Append(rune.ToString());
        }
        return sb.ToString().Trim();
    }

    /// <summary>A title from an uploaded file's name: only the last path segment, without its extension.
    /// The name is never used as a path.</summary>
    public static string TitleFromFileName(string? fileName)
    {
        if (string.IsNullOrEmpty(fileName)) return "";
        var last = fileName.Split('/', '\\').LastOrDefault(s => s.Length > 0 && s != "." && s != "..") ?? "";
        var dot = last.LastIndexOf('.');
        if (dot > 0) last = last[..dot];
        return SingleLine(last, 100);
    }

    /// <summary>An ASCII file name for downloads: letters, digits, '-', '_'.</summary>
    public static string DownloadName(string title, string extension)
    {
        var sb = new StringBuilder();
        foreach (var c in title)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-') sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
            if (sb.Length >= 60) break;
        }
        var stem = sb.ToString().Trim('-');
        return (stem.Length == 0 ? "image" : stem) + extension;
    }
}
