using LlmTools.Engine.Catalog;
using LlmTools.Engine.Models;
using LlmTools.Engine.Providers;

namespace LlmTools.Engine.Tests.Providers;

/// <summary>The model list's reading, kinds by name, and the 90-day shutdown warning.</summary>
public sealed class ModelListTests
{
    [Theory]
    [InlineData("gpt-4o-mini", ModelKind.Chat)]
    [InlineData("o3", ModelKind.Chat)]
    [InlineData("llama3.1:8b", ModelKind.Chat)]
    [InlineData("text-embedding-3-small", ModelKind.Embedding)]
    [InlineData("nomic-embed-text", ModelKind.Embedding)]
    [InlineData("whisper-1", ModelKind.Other)]
    [InlineData("gpt-4o-mini-tts", ModelKind.Other)]
    [InlineData("gpt-realtime", ModelKind.Other)]
    [InlineData("gpt-4o-realtime-preview", ModelKind.Other)]
    [InlineData("dall-e-3", ModelKind.Other)]
    [InlineData("omni-moderation-latest", ModelKind.Other)]
    public void Kinds_come_from_the_name(string id, ModelKind kind) => Assert.Equal(kind, ModelKinds.Of(id));

    [Fact]
    public void Azure_capabilities_and_deprecation_win_over_the_name()
    {
        var body = BinaryData.FromString("""
            {"data":[
              {"id":"my-deployment","created_at":1646126127,"capabilities":{"chat_completion":false,"embeddings":true},"deprecation":{"inference":1709284527}},
              {"id":"gpt-4o","created":1715367049,"owned_by":"system"},
              {"object":"model"},
              {"id":"odd","created":-5}
            ]}
            """);

        var models = ModelListJson.Parse(body);

        Assert.Equal(3, models.Count);
        Assert.Equal(ModelKind.Embedding, models[0].Kind);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1709284527), models[0].Shutdown);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1646126127), models[0].Created);
        Assert.Equal("system", models[1].OwnedBy);
        Assert.Null(models[2].Created);
    }

    [Fact]
    public void A_body_without_data_is_not_a_model_list() =>
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => ModelListJson.Parse(BinaryData.FromString("""{"error":"no"}""")));

    [Fact]
    public void Warns_within_90_days_and_after_but_not_before()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Null(Retirement.Warning("m", now.AddDays(91), now));
        Assert.Null(Retirement.Warning("m", null, now));
        Assert.Contains("on 2026-03-31, in 89 day(s)", Retirement.Warning("m", now.AddDays(89), now));
        Assert.Contains("was to be shut down by its provider on 2025-12-31", Retirement.Warning("m", now.AddDays(-1), now));
    }

    [Fact]
    public void The_shipped_table_names_OpenAIs_shutdown_days_and_not_for_Azure_deployments()
    {
        var catalog = LlmTools.Engine.Spending.ModelCatalog.For(new Dictionary<string, (LlmTools.Engine.Spending.ModelPrice, string)>());
        var openAI = new LlmTools.Engine.Configuration.LlmSettings();
        var azure = openAI with { Provider = LlmTools.Engine.Configuration.ProviderKind.Azure };

        Assert.Equal(new DateTimeOffset(2026, 10, 23, 0, 0, 0, TimeSpan.Zero), Retirement.ShippedShutdown("gpt-4", catalog, openAI));
        Assert.Equal(new DateTimeOffset(2026, 10, 23, 0, 0, 0, TimeSpan.Zero), Retirement.ShippedShutdown("gpt-3.5-turbo-0125", catalog, openAI));
        Assert.Null(Retirement.ShippedShutdown("gpt-4o-mini", catalog, openAI));
        Assert.Null(Retirement.ShippedShutdown("gpt-4", catalog, azure)); // Azure retires on its own schedule, which its model list says
    }
}
