using System.Management.Automation;

namespace LtxTrainer.Cmdlets.Contract;

/// <summary>
/// Refuses a fractional value for an <c>int</c> parameter. PowerShell's own binding would round it
/// (-NumberOfSteps 2000.5 became 2000, -ValidationFrameRate 23.6 became 24), so a request the contract
/// refuses as JSON would pass as parameters. The refusal is a parameter binding error naming the
/// parameter, the same answer PowerShell gives for any other value of the wrong type.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class WholeNumberAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is null or int or long or short or byte or sbyte or uint or ulong or ushort) return inputData;
        // Anything else that reads as a number (double, decimal, "2000.5") must have no fractional part.
        if (LanguagePrimitives.TryConvertTo(value, System.Globalization.CultureInfo.InvariantCulture, out double number)
            && (!double.IsFinite(number) || number != Math.Floor(number)))
        {
            throw new ArgumentTransformationMetadataException(
                $"{value} is not a whole number; this parameter takes whole numbers only (a fraction is never rounded).");
        }
        return inputData;
    }
}
