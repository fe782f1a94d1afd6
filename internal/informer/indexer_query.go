package informer

import "fmt"

// AddIndexers adds indices, filing the objects already present. It fails,
// adding none, if a name is taken or an index function fails.
func (s *Indexer) AddIndexers(indexers Indexers) error {
	if len(indexers) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	added := make(map[string]*index, len(indexers))
	for name, fn := range indexers {
		if _, taken := s.indices[name]; taken {
			return fmt.Errorf("index %q already exists", name)
		}
		if fn == nil {
			return fmt.Errorf("index %q has no function", name)
		}
		added[name] = newIndex(fn)
	}
	for key, obj := range s.items {
		values, err := computeIndexValues(added, key, obj)
		if err != nil {
			return err
		}
		for name, ix := range added {
			ix.set(key, values[name])
		}
	}
	for name, ix := range added {
		s.indices[name] = ix
	}
	return nil
}

// Indexers returns the index functions the store keeps, NamespaceIndex
// included.
func (s *Indexer) Indexers() Indexers {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(Indexers, len(s.indices))
	for name, ix := range s.indices {
		out[name] = ix.fn
	}
	return out
}

// ByIndex returns the objects filed under value in the named index.
func (s *Indexer) ByIndex(indexName, value string) ([]Object, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ix, ok := s.indices[indexName]
	if !ok {
		return nil, fmt.Errorf("index %q does not exist", indexName)
	}
	keys := ix.byValue[value]
	out := make([]Object, 0, len(keys))
	for key := range keys {
		out = append(out, s.items[key])
	}
	return out, nil
}

// IndexKeys returns the keys filed under value in the named index.
func (s *Indexer) IndexKeys(indexName, value string) ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ix, ok := s.indices[indexName]
	if !ok {
		return nil, fmt.Errorf("index %q does not exist", indexName)
	}
	out := make([]string, 0, len(ix.byValue[value]))
	for key := range ix.byValue[value] {
		out = append(out, key)
	}
	return out, nil
}

// Index returns the objects that share any of obj's values in the named
// index.
func (s *Indexer) Index(indexName string, obj Object) ([]Object, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ix, ok := s.indices[indexName]
	if !ok {
		return nil, fmt.Errorf("index %q does not exist", indexName)
	}
	values, err := ix.fn(obj)
	if err != nil {
		return nil, fmt.Errorf("index %q: %w", indexName, err)
	}
	seen := map[string]struct{}{}
	var out []Object
	for _, v := range values {
		for key := range ix.byValue[v] {
			if _, dup := seen[key]; !dup {
				seen[key] = struct{}{}
				out = append(out, s.items[key])
			}
		}
	}
	return out, nil
}

// ListIndexFuncValues returns the values present in the named index (none if
// it does not exist).
func (s *Indexer) ListIndexFuncValues(indexName string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ix, ok := s.indices[indexName]
	if !ok {
		return nil
	}
	out := make([]string, 0, len(ix.byValue))
	for v := range ix.byValue {
		out = append(out, v)
	}
	return out
}
