namespace LtxTrainer.Core.Checkpoints;

/// <summary>Which LTX-2 family member a checkpoint holds, decided from its transformer config.</summary>
public enum LtxModelVariant
{
    /// <summary>LTX-2 (19B): 6 AdaLN rows, no gated attention, caption projection inside the transformer.</summary>
    Ltx2,

    /// <summary>LTX-2.3 (22B): gated attention, 9 AdaLN rows with prompt AdaLN, projection before the connector.</summary>
    Ltx23,
}
