using System.Text;

namespace AkkaWal.Transactions.Import;

/// <summary>
/// Streams the lines of one legacy JSON-lines WAL file, one line held in memory at a time (plus one of look-ahead, to
/// know which line is the last). A last line that is not complete JSON is a torn tail: reported, not an error. A bad
/// line elsewhere throws <see cref="LegacyWalFormatException"/> naming file and line, or is counted and skipped when
/// <c>skipBadLines</c> is set. An unknown op always throws. Blank lines are ignored.
/// </summary>
internal sealed class LegacyWalReader(string path, bool skipBadLines)
{
    private readonly List<(int Line, string Reason)> _badLines = [];

    public string Path { get; } = path;

    /// <summary>Lines skipped as bad (only with skipBadLines), known once <see cref="Lines"/> has been enumerated.</summary>
    public IReadOnlyList<(int Line, string Reason)> BadLines => _badLines;

    /// <summary>The line number of the torn last line, if there was one.</summary>
    public int? TornTailLine { get; private set; }

    public IEnumerable<LegacyWalLine> Lines()
    {
        // Invalid UTF-8 decodes to U+FFFD instead of throwing: a tail torn inside a multi-byte character must still
        // be reported as a torn tail, and it is, because the line is then not complete JSON.
        using var reader = new StreamReader(Path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        var lineNumber = 0;
        string? current = NextNonBlank(reader, ref lineNumber, out var currentNumber);
        while (current is not null)
        {
            var next = NextNonBlank(reader, ref lineNumber, out var nextNumber);
            var parsed = ParseLine(current, currentNumber, isLast: next is null);
            if (parsed is not null)
                yield return parsed;
            current = next;
            currentNumber = nextNumber;
        }
    }

    private LegacyWalLine? ParseLine(string text, int lineNumber, bool isLast)
    {
        try
        {
            return LegacyWalLineParser.Parse(text, lineNumber);
        }
        catch (LegacyWalLineParser.NotJsonException) when (isLast)
        {
            TornTailLine = lineNumber;
            return null;
        }
        catch (LegacyWalLineParser.UnknownOpException e)
        {
            throw new LegacyWalFormatException(Path, lineNumber, e.Message);
        }
        catch (Exception e) when (e is LegacyWalLineParser.NotJsonException or LegacyWalLineParser.BadLineException)
        {
            if (!skipBadLines)
                throw new LegacyWalFormatException(Path, lineNumber, e.Message + " (use --skip-bad-lines to skip it)");
            _badLines.Add((lineNumber, e.Message));
            return null;
        }
    }

    private string? NextNonBlank(StreamReader reader, ref int lineNumber, out int number)
    {
        while (true)
        {
            var line = reader.ReadLine();
            lineNumber++;
            number = lineNumber;
            if (line is null || !string.IsNullOrWhiteSpace(line))
                return line;
        }
    }
}
