using LtxTrainer.Core.Demo;
using LtxTrainer.TestData;

namespace LtxTrainer.Core.Tests.Demo;

/// <summary>The folder rules of <see cref="DemoModelWriter"/>: never write over what it did not create, reuse what it did.</summary>
public sealed class DemoModelWriterTests(DemoModelFixture demo) : IClassFixture<DemoModelFixture>
{
    [Fact]
    public void A_folder_with_foreign_files_is_refused_and_left_alone()
    {
        var folder = Directory.CreateDirectory(Path.Combine(demo.Folder, "foreign")).FullName;
        var mine = Path.Combine(folder, "notes.txt");
        File.WriteAllText(mine, "user data");
        var ex = Assert.Throws<DemoFolderNotOwnedException>(() => DemoModelWriter.Write(folder, RealTokenizer.Gemma3Json));
        Assert.Equal(folder, ex.Folder);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
        Assert.Equal("user data", File.ReadAllText(mine));
    }

    [Fact]
    public void The_same_model_is_reused_and_another_seed_rewrites_it()
    {
        var again = DemoModelWriter.Write(demo.Model.Path, RealTokenizer.Gemma3Json, seed: 42);
        Assert.True(again.Reused);
        Assert.Equal(demo.Model.ModelBytes, again.ModelBytes);
        Assert.False(demo.Model.Reused);

        var folder = Path.Combine(demo.Folder, "reseed");
        var first = DemoModelWriter.Write(folder, RealTokenizer.Gemma3Json, seed: 1, size: new DemoModelSize { TransformerLayers = 1 });
        var before = File.ReadAllBytes(first.ModelPath);
        var second = DemoModelWriter.Write(folder, RealTokenizer.Gemma3Json, seed: 2, size: new DemoModelSize { TransformerLayers = 1 });
        Assert.False(second.Reused);
        Assert.NotEqual(before, File.ReadAllBytes(second.ModelPath));
    }

    [Fact]
    public void A_missing_tokenizer_is_an_error_before_anything_is_written()
    {
        var folder = Path.Combine(demo.Folder, "no-tokenizer");
        Assert.Throws<FileNotFoundException>(() => DemoModelWriter.Write(folder, Path.Combine(demo.Folder, "missing.json")));
        Assert.False(Directory.Exists(folder));
    }
}
