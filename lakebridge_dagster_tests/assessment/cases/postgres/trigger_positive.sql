-- expect: TRIGGER
-- type: TRIGGER
-- parent: public.Worker
-- functions: public.trg_worker_history
-- EXECUTE FUNCTION here is the trigger's action: not dynamic SQL, not a UDF call.
CREATE TRIGGER "trg_Worker_History" AFTER INSERT OR DELETE OR UPDATE ON public."Worker" FOR EACH ROW EXECUTE FUNCTION trg_worker_history()
