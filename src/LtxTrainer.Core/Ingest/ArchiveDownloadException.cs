using System.Net;

namespace LtxTrainer.Core.Ingest;

/// <summary>The archive could not be downloaded (HTTP error, timeout, too large, not a zip).</summary>
public sealed class ArchiveDownloadException : Exception
{
    public ArchiveDownloadException(Uri uri, string message, HttpStatusCode? statusCode = null, Exception? inner = null)
        : base($"{Redacted(uri)}: {message}", inner)
    {
        Uri = uri;
        StatusCode = statusCode;
    }

    public Uri Uri { get; }

    /// <summary>The final HTTP status when the server answered with an error.</summary>
    public HttpStatusCode? StatusCode { get; }

    // Never echo credentials or signed query strings into logs and error records.
    internal static string Redacted(Uri uri) =>
        uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Path) : uri.ToString();
}
