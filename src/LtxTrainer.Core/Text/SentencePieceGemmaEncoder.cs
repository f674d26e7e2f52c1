using Microsoft.ML.Tokenizers;

namespace LtxTrainer.Core.Text;

/// <summary>A SentencePiece <c>tokenizer.model</c>, tokenized by Microsoft.ML.Tokenizers' SentencePiece BPE.</summary>
internal sealed class SentencePieceGemmaEncoder(SentencePieceTokenizer spm) : IGemmaPieceEncoder
{
    public int BosId => spm.BeginningOfSentenceId;

    public int EosId => spm.EndOfSentenceId;

    public int? IdOf(string piece) => spm.Vocabulary.TryGetValue(piece, out var id) ? id : null;

    public void Encode(string text, List<int> ids) =>
        ids.AddRange(spm.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false));
}
