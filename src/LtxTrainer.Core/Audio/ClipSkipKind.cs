namespace LtxTrainer.Core.Audio;

/// <summary>Why a clip was left out of the dataset (stable codes; the message carries the details).</summary>
public enum ClipSkipKind
{
    /// <summary>Shorter than the bucket (and outside the stretch tolerance).</summary>
    TooShort,
    /// <summary>Peak below <see cref="PeakLevels.SilenceFloorDbfs"/>.</summary>
    Silent,
    /// <summary>Contains NaN or infinite samples.</summary>
    NonFinite,
    /// <summary>Corrupt, truncated, empty or in an unsupported encoding.</summary>
    Unreadable,
    /// <summary>Its caption file could not be read.</summary>
    BadCaption,
}
