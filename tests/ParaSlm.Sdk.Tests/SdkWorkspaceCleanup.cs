using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests;

/// <summary>Removes the shared workspace after the last test of the assembly (PARASLM_KEEP_TEST_DIRS=1 keeps it).</summary>
[SetUpFixture]
public sealed class SdkWorkspaceCleanup
{
    [OneTimeTearDown]
    public void DeleteWorkspace() => SdkWorkspace.DeleteShared();
}
