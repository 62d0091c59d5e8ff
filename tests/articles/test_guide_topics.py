import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("category=bogus", "Topic: We don&#x27;t know the topic “bogus”."),
        ("category=" + "x" * 300, "Topic: We don&#x27;t know that topic."),
        ("category=%00", "Topic: We don&#x27;t know that topic."),
    ],
)
def test_an_unknown_topic_is_explained_in_plain_words(client, query, message):
    response = client.get(f"/guides/?{query}")
    assert response.status_code == 200
    assert message in response.text
    assert "Select a valid choice" not in response.text
