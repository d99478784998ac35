from rag.evaluation import EvalQuestion, key_fact_coverage, load_questions, retrieval_scores
from rag.types import Chunk, RetrievedChunk


def _hit(source, text):
    return RetrievedChunk(chunk=Chunk(id=text[:8], text=text, source=source, start=0, end=len(text)), score=1.0)


def test_evidence_is_matched_after_nfc_case_and_space_folding():
    q = EvalQuestion(
        id="q", question="?", gold_docs=["a.txt", "b.txt"], evidence=["**10 quốc gia**  tại Châu Âu", "x y"]
    )
    hits = [_hit("c.txt", "khác"), _hit("a.txt", "Gồm **10 QUỐC GIA** tại châu\nÂu và Bắc Mỹ"), _hit("a.txt", "X   Y")]
    s = retrieval_scores(q, hits, k=5)
    assert s["evidence_recall"] == 1.0
    assert s["doc_recall"] == 0.5
    assert s["mrr"] == 0.5 and s["doc_mrr"] == 0.5
    assert retrieval_scores(q, hits, k=1)["evidence_recall"] == 0.0


def test_key_fact_groups_need_one_alternative_each():
    facts = [["châu Âu", "Europe"], ["Bắc Mỹ", "North America"]]
    assert key_fact_coverage("Khảo sát ở châu âu và BẮC MỸ.", facts) == 1.0
    assert key_fact_coverage("Surveyed in Europe only.", facts) == 0.5
    assert key_fact_coverage("anything", []) == 1.0


def test_dev_file_loads(tmp_path):
    path = tmp_path / "dev.jsonl"
    path.write_text('{"id": "a", "question": "q?", "history": [{"role": "user", "content": "x"}], "extra": 1}\n\n')
    (q,) = load_questions(path)
    assert q.id == "a" and q.history[0]["content"] == "x" and not q.answerable
