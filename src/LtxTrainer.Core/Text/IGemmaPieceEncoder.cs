namespace LtxTrainer.Core.Text;

/// <summary>
/// Turns text into Gemma vocabulary ids, with no BOS/EOS and no stripping (those are
/// <see cref="GemmaTokenizer"/>'s LTX rules). One per tokenizer file kind: <c>tokenizer.model</c> (SentencePiece)
/// and <c>tokenizer.json</c> (Hugging Face fast tokenizer).
/// </summary>
internal interface IGemmaPieceEncoder
{
    int BosId { get; }

    int EosId { get; }

    /// <summary>The id of a whole piece (e.g. <c>&lt;pad&gt;</c>), or null when the vocabulary lacks it.</summary>
    int? IdOf(string piece);

    /// <summary>Appends the ids of <paramref name="text"/> to <paramref name="ids"/>.</summary>
    void Encode(string text, List<int> ids);
}
