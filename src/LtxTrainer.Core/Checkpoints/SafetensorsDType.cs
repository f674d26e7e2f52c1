using TorchSharp;

namespace LtxTrainer.Core.Checkpoints;

/// <summary>Maps safetensors dtype names to TorchSharp scalar types and element sizes.</summary>
public static class SafetensorsDType
{
    /// <summary>Returns the scalar type for a safetensors dtype string, or throws naming the tensor.</summary>
    public static torch.ScalarType ToScalarType(string dtype, string tensorName, string file) => dtype switch
    {
        "F32" => torch.ScalarType.Float32,
        "BF16" => torch.ScalarType.BFloat16,
        "F16" => torch.ScalarType.Float16,
        "F64" => torch.ScalarType.Float64,
        "I64" => torch.ScalarType.Int64,
        "I32" => torch.ScalarType.Int32,
        "I16" => torch.ScalarType.Int16,
        "I8" => torch.ScalarType.Int8,
        "U8" => torch.ScalarType.Byte,
        "BOOL" => torch.ScalarType.Bool,
        _ => throw new CheckpointFormatException(
            $"Tensor '{tensorName}' in '{file}' has dtype {dtype}, which is not supported " +
            "(supported: F32, BF16, F16, F64, I64, I32, I16, I8, U8, BOOL; FP8 checkpoints are not supported yet — use a bf16 checkpoint).",
            file, tensorName),
    };

    /// <summary>Safetensors dtype name for a scalar type (used when writing).</summary>
    public static string FromScalarType(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float32 => "F32",
        torch.ScalarType.BFloat16 => "BF16",
        torch.ScalarType.Float16 => "F16",
        torch.ScalarType.Float64 => "F64",
        torch.ScalarType.Int64 => "I64",
        torch.ScalarType.Int32 => "I32",
        torch.ScalarType.Int16 => "I16",
        torch.ScalarType.Int8 => "I8",
        torch.ScalarType.Byte => "U8",
        torch.ScalarType.Bool => "BOOL",
        _ => throw new ArgumentException($"Scalar type {type} cannot be written to safetensors."),
    };

    /// <summary>Bytes per element of a safetensors dtype; 0 when unknown.</summary>
    public static int ElementSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "BF16" or "F16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => 0,
    };
}
