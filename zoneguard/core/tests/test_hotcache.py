from zoneguard.core.hotcache import HotCache


def test_it_keeps_values_for_the_configured_seconds(settings, monkeypatch):
    import zoneguard.core.hotcache as hotcache

    now = [1000.0]
    monkeypatch.setattr(hotcache.time, "monotonic", lambda: now[0])
    settings.HOT_CACHE_SECONDS = 2
    cache = HotCache()
    cache.set("token", "value")
    now[0] += 1.9
    assert cache.get("token") == "value"
    now[0] += 0.2
    assert cache.get("token") is None


def test_it_keeps_nothing_when_switched_off(settings):
    settings.HOT_CACHE_SECONDS = 0
    cache = HotCache()
    cache.set("token", "value")
    assert cache.get("token") is None


def test_it_is_cleared_by_a_write_and_bounded(settings):
    settings.HOT_CACHE_SECONDS = 60
    cache = HotCache(max_entries=3)
    for key in range(3):
        cache.set(key, key)
    cache.set("more", 1)  # full: starts over rather than grow without bound
    assert cache.get(0) is None and cache.get("more") == 1
    cache.clear(sender=object())
    assert cache.get("more") is None


def test_it_loads_once_and_remembers_only_what_was_found(settings):
    settings.HOT_CACHE_SECONDS = 60
    cache = HotCache()
    loads = []

    def load(key):
        loads.append(key)
        return None if key == "absent" else key.upper()

    assert cache.get_or_load("a", load) == "A"
    assert cache.get_or_load("a", load) == "A"
    assert cache.get_or_load("absent", load) is None
    assert cache.get_or_load("absent", load) is None
    assert loads == ["a", "absent", "absent"]
