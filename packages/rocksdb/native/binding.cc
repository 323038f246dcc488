// Synchronous RocksDB binding for @tributary/rocksdb. Stream processing reads and writes its stores on the
// hot path, one record at a time, so every call here is synchronous: open, get, an atomic write batch,
// bounded iterators read in chunks, close. The TypeScript side (src/internal/NativeRocksDB.ts) is the only
// caller.

#include <napi.h>
#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <memory>
#include <set>
#include <vector>
#include <string>

namespace {

struct IteratorState;

struct DatabaseState {
  rocksdb::DB* db = nullptr;
  // Column families: [0] the store's data, [1] "tributary-meta" (the checkpoint, written in the same batches).
  std::vector<rocksdb::ColumnFamilyHandle*> columns;
  std::string path;
  std::set<IteratorState*> iterators;
};

struct IteratorState {
  rocksdb::Iterator* it = nullptr;
  DatabaseState* database = nullptr;
  std::string lower;
  std::string upper;
  rocksdb::Slice lowerSlice;
  rocksdb::Slice upperSlice;
};

void ReleaseIterator(IteratorState* state) {
  if (state->it != nullptr) {
    delete state->it;
    state->it = nullptr;
  }
  if (state->database != nullptr) {
    state->database->iterators.erase(state);
    state->database = nullptr;
  }
}

void CloseDatabase(DatabaseState* state) {
  for (IteratorState* it : std::set<IteratorState*>(state->iterators)) ReleaseIterator(it);
  if (state->db != nullptr) {
    for (rocksdb::ColumnFamilyHandle* column : state->columns) state->db->DestroyColumnFamilyHandle(column);
    state->columns.clear();
    state->db->Close();
    delete state->db;
    state->db = nullptr;
  }
}

// Handles are type-tagged externals: a handle of the wrong kind (or anything else) is a TypeError, never a cast
// of foreign memory.
const napi_type_tag kDatabaseTag = {0x7472696275746172ULL, 0x79646174616261ULL};
const napi_type_tag kIteratorTag = {0x7472696275746172ULL, 0x79697465726174ULL};

Napi::Value Throw(Napi::Env env, const std::string& message) {
  Napi::Error::New(env, message).ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value ThrowStatus(Napi::Env env, const std::string& what, const rocksdb::Status& status) {
  return Throw(env, "RocksDB " + what + " failed: " + status.ToString());
}

void ThrowType(Napi::Env env, const std::string& message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
}

// The handle in argument `index` if it is an external tagged with `tag`; otherwise throws a TypeError naming the
// call and what it expected, and returns nullptr.
template <typename T>
T* HandleArg(const Napi::CallbackInfo& info, size_t index, const napi_type_tag& tag, const char* call,
             const char* what) {
  if (info.Length() > index && info[index].IsExternal()) {
    auto external = info[index].As<Napi::External<T>>();
    if (external.CheckTypeTag(&tag)) return external.Data();
  }
  ThrowType(info.Env(), std::string(call) + ": argument " + std::to_string(index + 1) + " must be " + what);
  return nullptr;
}

bool IsBufferArg(const Napi::CallbackInfo& info, size_t index) {
  return info.Length() > index && info[index].IsBuffer();
}

bool IsOptionalBufferArg(const Napi::CallbackInfo& info, size_t index) {
  return info.Length() <= index || info[index].IsNull() || info[index].IsUndefined() || info[index].IsBuffer();
}

DatabaseState* OpenDatabase(const Napi::CallbackInfo& info, size_t index, const char* call) {
  auto* state = HandleArg<DatabaseState>(info, index, kDatabaseTag, call, "a database handle from open()");
  if (state == nullptr) return nullptr;
  if (state->db == nullptr) {
    Napi::Error::New(info.Env(), "RocksDB database " + state->path + " is closed").ThrowAsJavaScriptException();
    return nullptr;
  }
  return state;
}

rocksdb::Slice SliceOf(const Napi::Value& value) {
  auto buffer = value.As<Napi::Buffer<char>>();
  return rocksdb::Slice(buffer.Data(), buffer.Length());
}

Napi::Buffer<char> BufferOf(Napi::Env env, const rocksdb::Slice& slice) {
  return Napi::Buffer<char>::Copy(env, slice.data(), slice.size());
}

// open(path: string, createIfMissing: boolean) → handle
Napi::Value Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsBoolean()) {
    ThrowType(env, "open(path: string, createIfMissing: boolean): wrong argument types");
    return env.Undefined();
  }
  std::string path = info[0].As<Napi::String>().Utf8Value();
  rocksdb::Options options;
  options.create_if_missing = info[1].ToBoolean().Value();
  options.IncreaseParallelism(2);
  options.max_open_files = 256;
  options.write_buffer_size = 16 << 20;
  options.max_write_buffer_number = 3;
  options.compression = rocksdb::kLZ4Compression;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(16 << 20);
  table.block_size = 4096;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, options);
  descriptors.emplace_back("tributary-meta", options);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(options, path, descriptors, &handles, &db);
  if (!status.ok()) return ThrowStatus(env, "open of " + path, status);
  auto* state = new DatabaseState();
  state->db = db;
  state->columns = handles;
  state->path = path;
  auto handle = Napi::External<DatabaseState>::New(env, state, [](Napi::Env, DatabaseState* s) {
    CloseDatabase(s);
    delete s;
  });
  handle.TypeTag(&kDatabaseTag);
  return handle;
}

// close(handle): closes open iterators, then the database. Idempotent.
Napi::Value Close(const Napi::CallbackInfo& info) {
  auto* state = HandleArg<DatabaseState>(info, 0, kDatabaseTag, "close", "a database handle from open()");
  if (state == nullptr) return info.Env().Undefined();
  CloseDatabase(state);
  return info.Env().Undefined();
}

// get(handle, key: Buffer, meta?: boolean) → Buffer | null; meta reads the checkpoint column family.
Napi::Value Get(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DatabaseState* state = OpenDatabase(info, 0, "get");
  if (state == nullptr) return env.Undefined();
  if (!IsBufferArg(info, 1)) {
    ThrowType(env, "get: argument 2 (the key) must be a Buffer");
    return env.Undefined();
  }
  rocksdb::ColumnFamilyHandle* column = state->columns[info.Length() > 2 && info[2].ToBoolean().Value() ? 1 : 0];
  rocksdb::PinnableSlice value;
  rocksdb::Status status = state->db->Get(rocksdb::ReadOptions(), column, SliceOf(info[1]), &value);
  if (status.IsNotFound()) return env.Null();
  if (!status.ok()) return ThrowStatus(env, "get", status);
  return BufferOf(env, value);
}

// write(handle, keys: Buffer[], values: (Buffer | null)[], metaKeys: Buffer[], metaValues: Buffer[]):
// one atomic batch: the puts (null = delete) in order, then the meta entries (the checkpoint) — all or nothing.
Napi::Value Write(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DatabaseState* state = OpenDatabase(info, 0, "write");
  if (state == nullptr) return env.Undefined();
  for (size_t i = 1; i <= 4; i++) {
    if (info.Length() <= i || !info[i].IsArray()) {
      ThrowType(env, "write: argument " + std::to_string(i + 1) + " must be an array");
      return env.Undefined();
    }
  }
  auto keys = info[1].As<Napi::Array>();
  auto values = info[2].As<Napi::Array>();
  auto metaKeys = info[3].As<Napi::Array>();
  auto metaValues = info[4].As<Napi::Array>();
  if (keys.Length() != values.Length()) return Throw(env, "write: keys and values differ in length");
  if (metaKeys.Length() != metaValues.Length()) return Throw(env, "write: metaKeys/metaValues differ in length");
  // Every element is checked before anything is written: a bad one leaves the batch, and the database, untouched.
  for (uint32_t i = 0; i < keys.Length(); i++) {
    Napi::Value value = values.Get(i);
    if (!keys.Get(i).IsBuffer() || !(value.IsNull() || value.IsBuffer())) {
      ThrowType(env, "write: entry " + std::to_string(i) + " must be a Buffer key with a Buffer or null value");
      return env.Undefined();
    }
  }
  for (uint32_t i = 0; i < metaKeys.Length(); i++) {
    if (!metaKeys.Get(i).IsBuffer() || !metaValues.Get(i).IsBuffer()) {
      ThrowType(env, "write: meta entry " + std::to_string(i) + " must be a Buffer key with a Buffer value");
      return env.Undefined();
    }
  }
  rocksdb::ColumnFamilyHandle* data = state->columns[0];
  rocksdb::WriteBatch batch;
  for (uint32_t i = 0; i < keys.Length(); i++) {
    Napi::Value value = values.Get(i);
    rocksdb::Status s = value.IsNull() ? batch.Delete(data, SliceOf(keys.Get(i)))
                                       : batch.Put(data, SliceOf(keys.Get(i)), SliceOf(value));
    if (!s.ok()) return ThrowStatus(env, "batch", s);
  }
  for (uint32_t i = 0; i < metaKeys.Length(); i++) {
    rocksdb::Status s = batch.Put(state->columns[1], SliceOf(metaKeys.Get(i)), SliceOf(metaValues.Get(i)));
    if (!s.ok()) return ThrowStatus(env, "batch", s);
  }
  rocksdb::Status status = state->db->Write(rocksdb::WriteOptions(), &batch);
  if (!status.ok()) return ThrowStatus(env, "write", status);
  return env.Undefined();
}

// iterator(handle, lower: Buffer | null (inclusive), upper: Buffer | null (exclusive)): ascending key order
Napi::Value NewIterator(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DatabaseState* database = OpenDatabase(info, 0, "iterator");
  if (database == nullptr) return env.Undefined();
  if (!IsOptionalBufferArg(info, 1) || !IsOptionalBufferArg(info, 2)) {
    ThrowType(env, "iterator: the bounds (arguments 2 and 3) must be Buffers, null or undefined");
    return env.Undefined();
  }
  auto* state = new IteratorState();
  rocksdb::ReadOptions options;
  if (info.Length() > 1 && info[1].IsBuffer()) {
    state->lower = SliceOf(info[1]).ToString();
    state->lowerSlice = rocksdb::Slice(state->lower);
    options.iterate_lower_bound = &state->lowerSlice;
  }
  if (info.Length() > 2 && info[2].IsBuffer()) {
    state->upper = SliceOf(info[2]).ToString();
    state->upperSlice = rocksdb::Slice(state->upper);
    options.iterate_upper_bound = &state->upperSlice;
  }
  state->it = database->db->NewIterator(options, database->columns[0]);
  state->database = database;
  database->iterators.insert(state);
  state->it->SeekToFirst();
  auto handle = Napi::External<IteratorState>::New(env, state, [](Napi::Env, IteratorState* s) {
    ReleaseIterator(s);
    delete s;
  });
  handle.TypeTag(&kIteratorTag);
  return handle;
}

// next(iterator, max: number) → one Buffer holding up to `max` entries, each as [u32le key length][key]
// [u32le value length][value]; empty when the iterator is exhausted (a short chunk may still be followed by more).
// One Buffer per chunk instead of two per entry: creating Buffers dominated the cost of a scan.
Napi::Value Next(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* state = HandleArg<IteratorState>(info, 0, kIteratorTag, "next", "an iterator handle from iterator()");
  if (state == nullptr) return env.Undefined();
  if (info.Length() < 2 || !info[1].IsNumber()) {
    ThrowType(env, "next: argument 2 (the chunk size) must be a number");
    return env.Undefined();
  }
  uint32_t max = info[1].As<Napi::Number>().Uint32Value();
  std::string out;
  rocksdb::Iterator* it = state->it;
  if (it == nullptr) return Napi::Buffer<char>::New(env, 0);
  auto append = [&out](const rocksdb::Slice& slice) {
    uint32_t length = static_cast<uint32_t>(slice.size());
    char header[4] = {static_cast<char>(length & 0xff), static_cast<char>((length >> 8) & 0xff),
                      static_cast<char>((length >> 16) & 0xff), static_cast<char>((length >> 24) & 0xff)};
    out.append(header, 4);
    out.append(slice.data(), slice.size());
  };
  for (uint32_t n = 0; n < max && it->Valid(); n++) {
    append(it->key());
    append(it->value());
    it->Next();
  }
  if (!it->Valid() && !it->status().ok()) return ThrowStatus(env, "iteration", it->status());
  return Napi::Buffer<char>::Copy(env, out.data(), out.size());
}

Napi::Value CloseIterator(const Napi::CallbackInfo& info) {
  auto* state =
      HandleArg<IteratorState>(info, 0, kIteratorTag, "closeIterator", "an iterator handle from iterator()");
  if (state == nullptr) return info.Env().Undefined();
  ReleaseIterator(state);
  return info.Env().Undefined();
}

// estimateNumKeys(handle) → number
Napi::Value EstimateNumKeys(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DatabaseState* state = OpenDatabase(info, 0, "estimateNumKeys");
  if (state == nullptr) return env.Undefined();
  uint64_t count = 0;
  state->db->GetIntProperty(state->columns[0], "rocksdb.estimate-num-keys", &count);
  return Napi::Number::New(env, static_cast<double>(count));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("open", Napi::Function::New(env, Open));
  exports.Set("close", Napi::Function::New(env, Close));
  exports.Set("get", Napi::Function::New(env, Get));
  exports.Set("write", Napi::Function::New(env, Write));
  exports.Set("iterator", Napi::Function::New(env, NewIterator));
  exports.Set("next", Napi::Function::New(env, Next));
  exports.Set("closeIterator", Napi::Function::New(env, CloseIterator));
  exports.Set("estimateNumKeys", Napi::Function::New(env, EstimateNumKeys));
  return exports;
}

}  // namespace

NODE_API_MODULE(tributary_rocksdb, Init)
