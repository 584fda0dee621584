using System.Runtime.InteropServices;

namespace LlmTools.Engine.Caching;

/// <summary>
/// Whether a cache path may be trusted, as ssh decides for its own files: the cache folder and every entry must belong to
/// this user and be writable by no one else, and an entry must be a regular file, never a link (a neighbour could point
/// it anywhere) nor a FIFO or device (opening a FIFO waits for a writer forever, beyond Ctrl+C). Unix only: on Windows
/// the profile's ACLs already keep other users out, and only links are refused.
/// </summary>
internal static class FileTrust
{
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;
    private const int Directory = 0x4000;
    private const int SymbolicLink = 0xA000;
    private const int WritableByOthers = 0x12; // why: S_IWGRP | S_IWOTH

    /// <summary>What an entry path holds: nothing (null and no problem), a trusted regular file, or a problem.</summary>
    public static string? EntryProblem(string path, out bool exists)
    {
        exists = true;
        if (!OperatingSystem.IsWindows() && Status.Available)
        {
            if (Status.Of(path, followLinks: false) is not { } status)
            {
                exists = false; // why trusted: lstat sees links and FIFOs themselves, so a failed one means nothing is there (a miss costs one call)
                return null;
            }

            return (status.Mode & TypeMask) switch
            {
                SymbolicLink => "it is a symbolic link, which is never followed out of the cache",
                Directory => "it is a directory, not an entry",
                RegularFile => Ownership(status, "the entry"),
                _ => "it is not a regular file (a FIFO, socket or device), so it is not opened",
            };
        }

        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return "it is a symbolic link, which is never followed out of the cache";
        }

        exists = info.Exists || System.IO.Directory.Exists(path);
        return exists && !info.Exists ? "it is a directory, not an entry" : null;
    }

    /// <summary>Null when the cache folder (links followed: ~/.cache may be one) is this user's and closed to others.</summary>
    public static string? FolderProblem(string path) =>
        !OperatingSystem.IsWindows() && Status.Of(path, followLinks: true) is { } status ? Ownership(status, $"the cache folder '{path}'") : null;

    private static string? Ownership(Status status, string what)
    {
        if (Status.Me is { } me && status.Uid != me && me != 0)
        {
            return $"{what} belongs to another user (uid {status.Uid}); remove it or set CACHE_DIR to a folder of your own";
        }

        return (status.Mode & WritableByOthers) != 0
            ? $"{what} is writable by other users (mode {Convert.ToString(status.Mode & 0x1FF, 8)}); fix it with: chmod go-w"
            : null;
    }

    /// <summary>lstat/stat through the runtime's own native shim (libSystem.Native ships with every .NET); its struct begins with flags, mode, uid.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)] // why 256: larger than the runtime's FileStatus, which grows between versions
    private struct Status
    {
        public int Flags;
        public int Mode;
        public uint Uid;

        public static readonly uint? Me = Try<uint?>(() => GetEuid());

        /// <summary>True when the native shim answers (it does wherever .NET runs on Unix); else the checks use FileInfo.</summary>
        public static readonly bool Available = Try<bool?>(() => LStat("/", out _) == 0) == true;

        public static Status? Of(string path, bool followLinks)
        {
            return Try(() => (followLinks ? Stat(path, out var status) : LStat(path, out status)) == 0 ? status : (Status?)null);
        }

        private static T? Try<T>(Func<T?> call)
        {
            try
            {
                return call();
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                return default; // why: without the shim the checks fall back to what .NET shows (links only)
            }
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", CharSet = CharSet.Ansi)]
        private static extern int LStat(string path, out Status status);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi)]
        private static extern int Stat(string path, out Status status);

        [DllImport("libc", EntryPoint = "geteuid")]
        private static extern uint GetEuid();
    }
}
