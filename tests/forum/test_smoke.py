def test_member_sees_thread_and_replies(member_client, thread_factory, member):
    thread = thread_factory(title="Lipstick talk", body="Which **shade**?")
    page = member_client.get(f"/t/{thread.id}")
    assert page.status_code == 200
    assert b"Lipstick talk" in page.data and b"<strong>shade</strong>" in page.data
    response = member_client.post(f"/t/{thread.id}/reply", data={"body": "Red, always."})
    assert response.status_code == 302
    assert b"Red, always." in member_client.get(response.headers["Location"]).data
    assert member_client.get("/").status_code == 200
