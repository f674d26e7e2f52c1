using System.Buffers;

namespace LtxTrainer.Core.Text;

/// <summary>
/// Finds a tokenizer's added tokens (<c>&lt;start_of_turn&gt;</c>, <c>&lt;bos&gt;</c>, newline runs …) in raw text
/// the way Hugging Face <c>tokenizers</c> does (<c>added_vocabulary.rs</c>): leftmost-longest, non-overlapping,
/// before normalization, special or not.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _ids;
    private readonly Dictionary<char, int[]> _lengthsByFirstChar; // distinct token lengths, longest first
    private readonly SearchValues<char> _firstChars;

    public AddedTokenMatcher(IReadOnlyDictionary<string, int> tokens)
    {
        var ids = new Dictionary<string, int>(tokens.Where(t => t.Key.Length > 0), StringComparer.Ordinal);
        _ids = ids.GetAlternateLookup<ReadOnlySpan<char>>();
        _lengthsByFirstChar = ids.Keys.GroupBy(t => t[0])
            .ToDictionary(g => g.Key, g => g.Select(t => t.Length).Distinct().OrderDescending().ToArray());
        _firstChars = SearchValues.Create(_lengthsByFirstChar.Keys.ToArray());
    }

    /// <summary>The next added token at or after <paramref name="from"/>: its start, length and id; false when none.</summary>
    public bool TryFindNext(string text, int from, out int start, out int length, out int id)
    {
        var span = text.AsSpan();
        for (int at = from; at < span.Length; at++)
        {
            int skip = span[at..].IndexOfAny(_firstChars);
            if (skip < 0) break;
            at += skip;
            foreach (int n in _lengthsByFirstChar[span[at]])
                if (n <= span.Length - at && _ids.TryGetValue(span.Slice(at, n), out id))
                {
                    (start, length) = (at, n);
                    return true;
                }
        }
        (start, length, id) = (-1, 0, -1);
        return false;
    }
}
