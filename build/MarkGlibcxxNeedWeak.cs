// MSBuild inline task (compiled by RoslynCodeTaskFactory): sets VER_FLG_WEAK on the GLIBCXX_3.4.32
// version need of libLibTorchSharp.so copies in the build output. See TorchSharpNative.targets for why.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class MarkGlibcxxNeedWeak : Task
{
    [Required] public ITaskItem[] Files { get; set; }

    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;
    private const string WeakVersion = "GLIBCXX_3.4.32";

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                var bytes = File.ReadAllBytes(path);
                int changed = Patch(bytes);
                if (changed < 0) { Log.LogMessage(MessageImportance.Low, "{0}: already weak or not needed", path); continue; }
                // Write a new file and move it over the old one: the output copy may be a hard link into the NuGet cache.
                var tmp = path + ".weak.tmp";
                File.WriteAllBytes(tmp, bytes);
                File.Delete(path);  // unlinks only this copy; the cache file keeps its bytes
                File.Move(tmp, path);
                Log.LogMessage(MessageImportance.Normal, "{0}: marked {1} need weak", path, WeakVersion);
            }
            catch (Exception ex)
            {
                Log.LogWarning("Could not patch {0}: {1}", path, ex.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    // Returns the number of entries changed, or -1 when nothing needed changing.
    private static int Patch(byte[] b)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F' || b[4] != 2 || b[5] != 1)
            return -1; // only 64-bit little-endian ELF is handled
        long shoff = BitConverter.ToInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A);
        int shnum = BitConverter.ToUInt16(b, 0x3C);
        int changed = 0;
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(b, (int)sh + 4) != ShtGnuVerneed) continue;
            long off = BitConverter.ToInt64(b, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(b, (int)sh + 0x28);
            int count = (int)BitConverter.ToUInt32(b, (int)sh + 0x2C);
            long strOff = BitConverter.ToInt64(b, (int)(shoff + (long)link * shentsize) + 0x18);
            long vn = off;
            for (int n = 0; n < count; n++)
            {
                int cnt = BitConverter.ToUInt16(b, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(b, (int)vn + 8);
                for (int a = 0; a < cnt; a++)
                {
                    ushort flags = BitConverter.ToUInt16(b, (int)aux + 4);
                    long nameOff = strOff + BitConverter.ToUInt32(b, (int)aux + 8);
                    int end = (int)nameOff;
                    while (b[end] != 0) end++;
                    var name = Encoding.ASCII.GetString(b, (int)nameOff, end - (int)nameOff);
                    if (name == WeakVersion && (flags & VerFlgWeak) == 0)
                    {
                        flags |= VerFlgWeak;
                        b[aux + 4] = (byte)(flags & 0xff);
                        b[aux + 5] = (byte)(flags >> 8);
                        changed++;
                    }
                    uint next = BitConverter.ToUInt32(b, (int)aux + 12);
                    if (next == 0) break;
                    aux += next;
                }
                uint vnNext = BitConverter.ToUInt32(b, (int)vn + 12);
                if (vnNext == 0) break;
                vn += vnNext;
            }
        }
        return changed == 0 ? -1 : changed;
    }
}
